"""The built-in lessons: the notebook's four runs, and XOR with two hidden neurons, with their
settings and explanations.

Pure Python. Each lesson carries the notebook's hyperparameters (plain SGD with lr 1, binary
cross-entropy, a full batch per epoch, a log line every 100 epochs) and a short text in Korean
and in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.config import TrainConfig


@dataclass(frozen=True)
class Lesson:
    """A lesson: which run to make, how long, and what it teaches."""

    id: str
    title: dict[str, str]
    text: dict[str, str]
    config: TrainConfig = field(default_factory=TrainConfig)
    epochs: int = 1000
    log_every: int = 100

    def title_in(self, lang: str) -> str:
        return self.title.get(lang, self.title["en"])

    def text_in(self, lang: str) -> str:
        return self.text.get(lang, self.text["en"])


_NEURON_EN = """\
An artificial neuron multiplies each input by a weight, adds a bias, and passes the sum through
a squashing function; here the sigmoid, which turns any number into a value between 0 and 1 that
we read as "the probability that the answer is 1". The idea is old: in 1943 Warren McCulloch
and Walter Pitts described a brain cell as a tiny logic gate with a yes-or-no output. In 1957
Frank Rosenblatt's perceptron made that neuron learn from examples, and it is still the simplest
neural network there is: one neuron, inputs in, one answer out.
"""

_NEURON_KO = """\
인공 뉴런은 입력마다 가중치를 곱해 더하고 편향(bias)을 더한 뒤, 그 합을 활성화 함수에 통과시킵니다.
여기서는 시그모이드를 쓰는데, 어떤 수든 0과 1 사이의 값으로 바꿔 주므로 "답이 1일 확률"로 읽을 수
있습니다. 이 생각의 뿌리는 1943년, 워런 매컬러와 월터 피츠가 뇌세포를 참/거짓을 내는 작은 논리
게이트로 설명한 데 있습니다. 1957년 로젠블랫의 퍼셉트론은 이 뉴런이 예시로부터 배우게 만들었고,
지금도 가장 단순한 신경망입니다: 뉴런 하나, 입력이 들어가고 답 하나가 나옵니다.
"""

LESSONS: dict[str, Lesson] = {
    "and": Lesson(
        id="and",
        title={"en": "A perceptron learns AND", "ko": "퍼셉트론이 AND를 배운다"},
        text={
            "en": _NEURON_EN
            + """
AND is 1 only when both inputs are 1. Plot the four input pairs as the corners of a square: a
single straight line cuts off the (1,1) corner from the other three. A perceptron draws exactly
one such line (where w1·x1 + w2·x2 + b = 0), so it can learn AND. Watch the loss (binary
cross-entropy) fall from about 0.86 and the accuracy reach 100 % within the first hundred epochs.
""",
            "ko": _NEURON_KO
            + """
AND는 두 입력이 모두 1일 때만 1입니다. 네 가지 입력 쌍을 정사각형의 네 꼭짓점으로 그려 보면, 직선
하나로 (1,1) 꼭짓점을 나머지 셋과 갈라 놓을 수 있습니다. 퍼셉트론은 정확히 그런 직선 하나
(w1·x1 + w2·x2 + b = 0)를 긋는 모델이므로 AND를 배울 수 있습니다. 손실(이진 교차 엔트로피)이
0.86 근처에서 떨어지고, 처음 100 에포크 안에 정확도가 100 %가 되는 것을 지켜보세요.
""",
        },
        config=TrainConfig(dataset="and"),
    ),
    "or": Lesson(
        id="or",
        title={"en": "A perceptron learns OR", "ko": "퍼셉트론이 OR를 배운다"},
        text={
            "en": """\
OR is 1 when at least one input is 1. On the square of four input pairs, a single line cuts off
the (0,0) corner from the rest, so the same one-neuron network that learned AND learns OR too:
only the weights and the bias it ends with differ. Compare them with AND's in the weights panel:
the line has moved, its direction has not.
""",
            "ko": """\
OR는 입력 중 하나라도 1이면 1입니다. 네 입력 쌍이 놓인 정사각형에서 직선 하나가 (0,0) 꼭짓점을
나머지와 갈라 놓으므로, AND를 배운 것과 똑같은 뉴런 하나짜리 신경망이 OR도 배웁니다. 달라지는 것은
학습이 끝났을 때의 가중치와 편향뿐입니다. 가중치 창에서 AND의 값과 비교해 보세요: 직선의 방향은
같고 위치만 옮겨졌습니다.
""",
        },
        config=TrainConfig(dataset="or"),
    ),
    "xor": Lesson(
        id="xor",
        title={"en": "A perceptron fails XOR", "ko": "퍼셉트론은 XOR를 풀지 못한다"},
        text={
            "en": """\
XOR is 1 when the inputs differ. Its 1s sit at opposite corners of the square, (0,1) and (1,0),
and no straight line can put both of them on one side and (0,0) and (1,1) on the other. A single
neuron draws one line, so it cannot learn XOR, however long it trains. Gradient descent finds
the best it can do: weights near zero and an output of 0.5 for every row, where the loss is
ln 2 = 0.6931. The loss stops there and the accuracy wanders between 25 % and 75 %. In 1969
Marvin Minsky (with Seymour Papert) proved this limit, and interest in neural networks faded for
years.
""",
            "ko": """\
XOR는 두 입력이 서로 다를 때 1입니다. 1이 되는 점 (0,1)과 (1,0)은 정사각형의 마주 보는 꼭짓점에
있어서, 어떤 직선도 이 둘을 한쪽에, (0,0)과 (1,1)을 다른 쪽에 둘 수 없습니다. 뉴런 하나는 직선
하나만 그을 수 있으니 아무리 오래 학습해도 XOR를 배우지 못합니다. 경사 하강법이 찾는 최선은
가중치를 0 가까이 두고 모든 행에 0.5를 출력하는 것이고, 그때 손실은 ln 2 = 0.6931입니다. 손실은
거기서 멈추고 정확도는 25 %와 75 % 사이를 오갑니다. 1969년 마빈 민스키(시모어 페퍼트와 함께)가 이
한계를 수학적으로 증명했고, 그 뒤로 신경망 연구는 오랫동안 침체했습니다.
""",
        },
        config=TrainConfig(dataset="xor"),
    ),
    "xor-mlp": Lesson(
        id="xor-mlp",
        title={"en": "Backpropagation solves XOR", "ko": "역전파로 XOR를 푼다"},
        text={
            "en": """\
A hidden layer fixes what one line cannot. Its neurons each draw their own line and turn the
inputs into new features; for XOR, something like "x1 OR x2" and "NOT (x1 AND x2)". In those
features the 1s and 0s are separable, so the output neuron can finish the job with one more line.
Training such a network needs to know how much each hidden weight is to blame for the error:
backpropagation passes the error backwards through the layers with the chain rule. Paul Werbos
described it in his 1974 PhD thesis; in 1986 Rumelhart, Hinton and Williams found it again and
made it widely known. This network has three hidden layers (2-64-32-16-1, sigmoid throughout).
Watch it sit on the ln 2 plateau for thousands of epochs while the hidden layers slowly find
useful features, then drop to a loss near zero and 100 % accuracy.
""",
            "ko": """\
직선 하나로 안 되는 일은 은닉층이 해결합니다. 은닉층의 뉴런들은 저마다 직선을 하나씩 그어 입력을
새로운 특징으로 바꿉니다. XOR라면 "x1 OR x2"와 "NOT (x1 AND x2)" 같은 특징입니다. 이 특징
공간에서는 1과 0이 직선으로 나뉘므로, 출력 뉴런이 직선 하나를 더 그어 마무리할 수 있습니다. 이런
신경망을 학습하려면 은닉층의 가중치 하나하나가 오차에 얼마나 책임이 있는지 알아야 합니다.
역전파는 연쇄 법칙으로 오차를 출력에서 입력 쪽으로 거꾸로 전달합니다. 1974년 폴 워보스가 박사
논문에서 이 방법을 제시했고, 1986년 러멜하트, 힌턴, 윌리엄스가 독자적으로 다시 찾아내 널리
알렸습니다. 이 신경망에는 은닉층이 셋 있습니다(2-64-32-16-1, 모두 시그모이드). 은닉층이 쓸모 있는
특징을 천천히 찾는 동안 손실이 수천 에포크 동안 ln 2 고원에 머물다가, 어느 순간 0 가까이 떨어지고
정확도가 100 %가 되는 것을 지켜보세요.
""",
        },
        config=TrainConfig(dataset="xor", hidden=(64, 32, 16)),
        epochs=5000,
    ),
    "xor-2-2-1": Lesson(
        id="xor-2-2-1",
        title={"en": "Two hidden neurons draw two lines", "ko": "은닉 뉴런 둘이 직선 둘을 긋는다"},
        text={
            "en": """\
The notebook's network spends 112 hidden neurons on XOR; two are enough, and with two you can
see every part at work. This 2-2-1 network (two inputs, two hidden sigmoid neurons, one output)
trains with the notebook's settings. On the decision-boundary map each hidden neuron is a straight
line across the input square, the place where its weighted sum is 0; the output neuron then
draws one more line, in the plane of the two hidden outputs. From seed 0 the first hidden neuron
learns roughly x1 OR x2 (its line cuts (0,0) off from the rest), the second NOT (x1 AND x2) (its
line cuts (1,1) off), and the output fires only where both do: OR but not AND, which is XOR. For
about 1,400 epochs the loss stays at ln 2 = 0.6931 while the lines turn into place; every row is
right from epoch 1982, and the loss is 0.0061 at epoch 5000.

Not every start gets there. Of seeds 0 to 199, 174 (87 %) learn XOR within 5000 epochs, all rows
right first between epochs 216 and 3128. 25 (12.5 %) stop at a loss of 0.347 = ln 2 / 2: the
hidden neurons give two rows, one with target 0 and one with target 1, the same pair of outputs,
so the output neuron sees one point where there are two and can do no better than 0.5 for both.
Press R five times to reach seed 5: rows (1,0) and (1,1) sit at 0.5, and the loss is still
0.3467 at epoch 50,000. One seed, 137, waits at 0.477 = 3/4 ln 3 - 1/2 ln 2, three rows lumped
together at 2/3; that one is a slow saddle, not a trap, and it learns at epoch 12,258. Gradient
descent only walks downhill from where it starts: which valley it ends in depends on the start.
""",
            "ko": """\
노트북의 신경망은 XOR 하나에 은닉 뉴런 112개를 쓰지만, 두 개면 충분하고 두 개일 때는 각 부분이
하는 일을 눈으로 볼 수 있습니다. 이 2-2-1 신경망(입력 둘, 시그모이드 은닉 뉴런 둘, 출력 하나)은
노트북과 같은 설정으로 학습합니다. 결정 경계 지도에서 은닉 뉴런 하나는 입력 정사각형을 가로지르는
직선 하나, 곧 가중합이 0이 되는 자리입니다. 출력 뉴런은 두 은닉 출력이 이루는 평면에 직선을 하나
더 긋습니다. 시드 0에서 첫 은닉 뉴런은 대략 x1 OR x2(직선이 (0,0)을 나머지와 가름)를, 둘째는
NOT (x1 AND x2)(직선이 (1,1)을 가름)를 배우고, 출력은 둘 다 켜진 곳에서만 켜집니다. 즉 "OR이지만
AND는 아님"이고, 이것이 XOR입니다. 직선들이 제자리로 도는 약 1,400 에포크 동안 손실은
ln 2 = 0.6931에 머물고, 에포크 1982부터 모든 행을 맞히며, 에포크 5000의 손실은 0.0061입니다.

모든 출발점이 거기 닿지는 않습니다. 시드 0~199 가운데 174개(87 %)가 5000 에포크 안에 XOR를
배우고, 모든 행을 처음 맞히는 때는 에포크 216~3128입니다. 25개(12.5 %)는 손실
0.347 = ln 2 / 2에서 멈춥니다. 정답이 0인 행과 1인 행 하나씩이 은닉 뉴런을 거치면 똑같은 출력
쌍이 되어, 출력 뉴런에게는 두 점이 한 점으로 보이고, 둘 다에 0.5라고 답하는 것이 최선입니다.
R을 다섯 번 눌러 시드 5로 가 보세요. (1,0)과 (1,1) 행이 0.5에 머물고, 에포크 50,000에서도 손실은
0.3467입니다. 시드 137 하나는 0.477 = 3/4 ln 3 - 1/2 ln 2에서 기다리는데, 세 행이 한데 묶여 2/3을
받습니다. 이쪽은 함정이 아니라 느린 안장점이어서 에포크 12,258에 결국 배웁니다. 경사 하강법은
출발한 곳에서 내리막으로만 걸으니, 어느 골짜기에 닿을지는 출발점이 정합니다.
""",
        },
        config=TrainConfig(dataset="xor", hidden=(2,)),
        epochs=5000,
    ),
}


def lesson(lesson_id: str) -> Lesson:
    """The built-in lesson with this id; KeyError naming the lessons there are otherwise."""
    try:
        return LESSONS[lesson_id.strip().lower()]
    except KeyError:
        raise KeyError(f"unknown lesson {lesson_id!r}: choose from {', '.join(LESSONS)}") from None
