"""The app's words in Korean and English. Lesson texts live with the lessons in core.lessons."""

from __future__ import annotations

# key: (English, Korean)
_WORDS: dict[str, tuple[str, str]] = {
    # panel titles
    "truth_table": ("Truth table", "진리표"),
    "network": ("Network", "신경망"),
    "loss_plot": ("Loss", "손실"),
    "weights": ("Weights at epoch {epoch}", "에포크 {epoch}의 가중치"),
    "weights_none": ("Weights", "가중치"),
    "notes": ("Lesson notes", "수업 노트"),
    "status": ("Status line", "상태 줄"),
    # truth table columns
    "target": ("target", "정답"),
    "output": ("output", "출력"),
    "class": ("class", "분류"),
    # states
    "loading": ("loading the engine…", "엔진 불러오는 중…"),
    "ready": ("ready", "준비"),
    "running": ("running", "학습 중"),
    "paused": ("paused", "일시정지"),
    "finished": ("finished", "완료"),
    "blown_up": ("blown up", "발산"),
    # status line
    "lr": ("lr", "학습률"),
    "speed": ("speed", "속도"),
    "seed": ("seed", "시드"),
    "max": ("max", "최대"),
    "per_second": ("{n}/s", "초당 {n}"),
    "measured": ("{n:,} epochs/s", "초당 {n:,} 에포크"),
    "viewing_past": ("viewing the past: latest is {last}", "과거 보는 중: 최신은 {last}"),
    "hint_start": ("space: train · n: one epoch · ?: help", "space: 학습 · n: 한 에포크 · ?: 도움말"),
    "hint_finished": ("space: {n:,} more epochs", "space: {n:,} 에포크 더"),
    "no_epoch": ("—", "—"),
    # plot
    "epoch": ("epoch", "에포크"),
    "loss": ("loss", "손실"),
    "accuracy": ("accuracy", "정확도"),
    "plateau": ("ln 2 = 0.6931 (XOR plateau)", "ln 2 = 0.6931 (XOR 정체)"),
    # diagram
    "legend": ("╋ strong +   + weak +   ━ strong −   - weak −   · near 0", "╋ 강한 +   + 약한 +   ━ 강한 −   - 약한 −   · 0 근처"),
    "legend_whole": ("━ strong  ─ weak  ┄ near 0;  sign: + or -", "━ 강함  ─ 약함  ┄ 0 근처;  부호: + 또는 -"),
    "layer": ("layer {name}: {n_in} → {n_out}, {act}", "층 {name}: {n_in} → {n_out}, {act}"),
    "layer_stats": ("W mean {mean:+.3f}  sd {sd:.3f}  |max| {top:.3f}", "평균 {mean:+.3f} 편차 {sd:.3f} 최대 {top:.3f}"),
    "layer_change": ("mean |change| since epoch {prev}: {delta:.1e}", "에포크 {prev} 이후 평균 |변화|: {delta:.1e}"),
    "rows_inputs": ("↓ {n_in} inputs  → {n_out} neurons", "↓ 입력 {n_in}개  → 뉴런 {n_out}개"),
    "rows_neurons": ("↓ {n_out} neurons  → {n_in} inputs", "↓ 뉴런 {n_out}개  → 입력 {n_in}개"),
    "inputs": ("inputs", "입력"),
    "output_neuron": ("output", "출력"),
    # inspector
    "grad": ("gradient ∂L/∂W", "기울기 ∂L/∂W"),
    "changed": ("▲ went up, ▼ went down since epoch {prev}", "▲ 증가, ▼ 감소 (에포크 {prev} 대비)"),
    "first_epoch": ("epoch 0: the initial weights", "에포크 0: 초기 가중치"),
    # notices and questions
    "too_small": (
        "Perceptron Lab needs a terminal of at least {w}×{h}; this one is {cw}×{ch}.\nEnlarge the window (or make the font smaller).",
        "Perceptron Lab은 터미널 크기가 최소 {w}×{h}이어야 합니다. 지금은 {cw}×{ch}입니다.\n창을 키우거나 글꼴을 줄여 주세요.",
    ),
    "branch_title": ("You are looking at epoch {epoch}; the run has reached {last}.", "지금 에포크 {epoch}를 보고 있고, 학습은 {last}까지 진행되었습니다."),
    "branch": ("Branch from epoch {epoch} (forget {first}–{last})", "에포크 {epoch}에서 갈라지기 ({first}–{last} 버림)"),
    "jump": ("Jump to the latest epoch ({last}) and go on", "최신 에포크({last})로 가서 계속"),
    "cancel": ("Cancel", "취소"),
    "pick_lesson": ("Choose a lesson", "수업 고르기"),
    "blowup_keys": ("Lower the lr (-) and press r, or go back (←) and branch.", "학습률을 낮추고(-) r을 누르거나, 이전 에포크로 가서(←) 갈라지세요."),
    "ctrl_c_again": ("Training stopped. Press ctrl+c again (or q) to quit.", "학습을 멈췄습니다. 끝내려면 ctrl+c(또는 q)를 한 번 더."),
    # help
    "help_title": ("Perceptron Lab — help", "Perceptron Lab — 도움말"),
    "help_close": ("escape or ? closes this help", "escape 또는 ?로 닫기"),
    "help_keys": ("Keys", "키"),
    "help_panels": ("Panels", "패널"),
    "help_remap": (
        "Remap a key: perceptron-lab --keymap ID=KEY (for example --keymap step=j). IDs are in the first column.\n"
        "Panels scroll with tab to focus them, then ↑/↓, shift+←/→, or the mouse. ctrl+p: every command by name.",
        "키 바꾸기: perceptron-lab --keymap ID=키 (예: --keymap step=j). ID는 첫 열에 있습니다.\n"
        "패널 스크롤: tab으로 고른 뒤 ↑/↓, shift+←/→, 또는 마우스. ctrl+p: 이름으로 모든 명령 찾기.",
    ),
    # perceptron-lab serve (the browser mode)
    "serve_serving": (
        "Perceptron Lab at {url}: every browser tab runs its own app. ctrl+c stops the server.",
        "Perceptron Lab 주소: {url} — 브라우저 탭마다 앱이 하나씩 실행됩니다. 서버를 멈추려면 ctrl+c.",
    ),
    "serve_open_warning": (
        "warning: serving on {host}:{port}. Anyone who can reach that address gets the app, with no login; "
        "each visit starts a process on this machine.",
        "경고: {host}:{port}에서 서비스합니다. 이 주소에 접속할 수 있는 누구나 로그인 없이 앱을 쓸 수 있고, "
        "접속할 때마다 이 컴퓨터에서 프로세스가 하나 시작됩니다.",
    ),
    "serve_tab_opened": ("a tab opened: {n} open", "탭 하나 열림: {n}개 열려 있음"),
    "serve_tab_closed": ("a tab closed: {n} open", "탭 하나 닫힘: {n}개 열려 있음"),
    "serve_ended": ("Session ended.", "세션이 끝났습니다."),
    "serve_restart": ("Restart", "다시 시작"),
    # binding descriptions (footer and help)
    "b_run": ("Run/pause", "실행/멈춤"),
    "b_step": ("Step", "한 단계"),
    "b_step100": ("Step 100", "100 단계"),
    "b_faster": ("Speed", "속도"),
    "b_slower": ("Slower", "느리게"),
    "b_back": ("Back", "이전"),
    "b_forward": ("Fwd", "다음"),
    "b_back100": ("Back 100", "100 이전"),
    "b_forward100": ("Forward 100", "100 다음"),
    "b_first": ("First epoch", "첫 에포크"),
    "b_latest": ("Latest epoch", "최신 에포크"),
    "b_reset": ("Reset", "처음"),
    "b_reseed": ("New seed", "새 시드"),
    "b_lesson": ("Lesson", "수업"),
    "b_lr_up": ("lr+", "학습률+"),
    "b_lr_down": ("lr−", "학습률−"),
    "b_notes": ("Notes", "노트"),
    "b_accuracy": ("Accuracy curve", "정확도 곡선"),
    "b_language": ("한국어/English", "한국어/English"),
    "b_help": ("Help", "도움말"),
    "b_quit": ("Quit", "종료"),
    "b_interrupt": ("Stop, then quit", "멈춤, 다시 누르면 종료"),
}

PANEL_HELP: dict[str, tuple[str, str]] = {
    "truth_table": (
        "Every input row of the dataset, its target, the network's output (the probability of 1), "
        "the class it predicts (output ≥ 0.5 → 1) and ✓ when that is right, at the epoch on view.",
        "데이터셋의 모든 입력 행, 정답, 신경망의 출력(1일 확률), 예측한 분류(출력 ≥ 0.5 → 1), 맞으면 ✓. "
        "보고 있는 에포크 기준입니다.",
    ),
    "network": (
        "The layers and their weights. Small networks show every connection with its weight; wide ones "
        "show each layer as a picture of its weight matrix with statistics. ╋/+ positive, ━/- negative, "
        "heavier glyph = larger weight; orange positive, blue negative where there is colour.",
        "층과 가중치입니다. 작은 신경망은 모든 연결과 가중치를, 넓은 신경망은 층마다 가중치 행렬의 그림과 통계를 "
        "보여 줍니다. ╋/+ 양수, ━/- 음수, 굵을수록 큰 값. 색이 있으면 주황은 양수, 파랑은 음수.",
    ),
    "loss_plot": (
        "The loss of every epoch so far (binary cross-entropy), the ln 2 line where XOR gets stuck, and a "
        "mark at the epoch on view. a adds the accuracy curve (right axis).",
        "지금까지 모든 에포크의 손실(이진 교차 엔트로피), XOR이 멈추는 ln 2 선, 보고 있는 에포크 표시. "
        "a를 누르면 정확도 곡선(오른쪽 축)이 더해집니다.",
    ),
    "weights": (
        "W (one row per neuron, one column per input) and b of every layer, with their gradients, at the "
        "epoch on view; ▲/▼ marks values that went up/down since the epoch before. Scroll for wide layers.",
        "보고 있는 에포크의 층마다 W(뉴런마다 한 행, 입력마다 한 열)와 b, 그리고 기울기. ▲/▼는 이전 에포크보다 "
        "커지거나 작아진 값입니다. 넓은 층은 스크롤하세요.",
    ),
    "status": (
        "The lesson, the state, the learning rate, the speed, and the notebook's log line for the epoch on view.",
        "수업, 상태, 학습률, 속도, 그리고 보고 있는 에포크의 노트북 로그 한 줄.",
    ),
}


def tr(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang` ("ko" or "en"), with `values` filled in."""
    en, ko = _WORDS[key]
    text = ko if lang == "ko" else en
    return text.format(**values) if values else text


def panel_help(key: str, lang: str) -> str:
    en, ko = PANEL_HELP[key]
    return ko if lang == "ko" else en
