"""A slow SSH link on this machine: two network namespaces joined by a veth pair, sshd in one, the
client in the other; a tbf rate limit on each end and a 50 ms hold of every packet on each side
(bench/link_delay.py, over NFQUEUE, as this kernel has no netem): 100 ms round trip, 1 Mbit/s.

The namespaces belong to processes this module starts (`unshare --net`), each with the kernel's
order to die with the bench (PR_SET_PDEATHSIG), so they vanish with them even if the bench is
killed. The machine's own namespace, its interfaces, qdiscs, iptables rules and mounts are never
touched: sshd runs in a mount namespace of its own, with a private /run for its privilege
separation directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUEUE = ["-j", "NFQUEUE", "--queue-num", "0", "--queue-bypass"]  # every packet in, to the delay program

HERE = Path(__file__).resolve().parent
SERVER, CLIENT = "10.200.8.1", "10.200.8.2"  # inside the bench's own namespaces only
SERVER_DEV, CLIENT_DEV = "plab-s", "plab-c"
ONE_WAY_MS = 50
# 1 Mbit/s, a bucket of ~2 packets, and a queue of about one round trip's worth of bytes (12.5 KB).
TBF = ["rate", "1mbit", "burst", "4000", "limit", "16000"]
TOOLS = {"sshd": "openssh-server", "iptables-legacy": "iptables"}  # command: the Debian package
SBIN = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]

_libc = ctypes.CDLL(None, use_errno=True)


def _which(command: str) -> str | None:
    return shutil.which(command) or shutil.which(command, path=os.pathsep.join(SBIN))


def _die_with_parent() -> None:
    """In a child: the kernel sends it SIGTERM when the bench's main thread dies."""
    _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def prepare() -> str | None:
    """Make sure the tools are here (installing sshd and iptables with apt-get if need be); None,
    or why the link cannot be built on this machine."""
    if sys.platform != "linux":
        return "needs Linux (network namespaces)"
    if os.geteuid() != 0:
        return "needs root (network namespaces, tc, iptables)"
    for command in ("ip", "tc", "unshare", "nsenter", "ssh", "ssh-keygen"):
        if not _which(command):
            return f"`{command}` is missing"
    missing = [package for command, package in TOOLS.items() if not _which(command)]
    if missing:
        if not _which("apt-get"):
            return f"{' '.join(missing)} missing, and no apt-get to install them"
        print(f"installing {' '.join(missing)} with apt-get (for the emulated SSH link)", flush=True)
        failure = _apt_install(missing)
        if failure:
            return failure
    return None


def _apt_install(packages: list[str]) -> str | None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    # Installing openssh-server must not start an sshd on this machine: policy-rc.d says no.
    policy = Path("/usr/sbin/policy-rc.d")
    ours = not policy.exists()
    if ours:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:  # a fresh machine has no package lists yet
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            done = subprocess.run(command, env=env, capture_output=True, text=True)
    finally:
        if ours:
            policy.unlink()
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["?"]
        return f"apt-get install {' '.join(packages)} failed: {last[0]}"
    return None


class EmulatedLink:
    """`with EmulatedLink() as link:` the link is up; `link.ssh(...)` is an argv that runs a command
    on the far side, `link.client(...)` one that runs on the near side."""

    def __init__(self, shaped: bool = True):
        """`shaped=False`: the same namespaces, veth and sshd with no rate limit and no delay, to
        tell what the link costs from what the machine's CPUs cost."""
        self.shaped = shaped
        self.one_way_ms = ONE_WAY_MS if shaped else 0
        self.processes: list[subprocess.Popen] = []
        self.dir: Path | None = None
        self.namespaces: set[int] = set()  # inode numbers of our network namespaces

    # --- building it ----------------------------------------------------------------------------

    def open(self) -> EmulatedLink:
        """Build the link; RuntimeError (with what failed) if it cannot be, leaving nothing behind."""
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __enter__(self) -> EmulatedLink:
        return self.open()

    def __exit__(self, *_) -> None:
        self.close()

    def _build(self) -> None:
        _remove_stale_dirs()
        self.dir = Path(tempfile.mkdtemp(prefix=f"plab-link-{os.getpid()}-"))
        # Each namespace is held by its delay program: the namespace lives as long as it does.
        self.server_holder = self._namespace_holder("server")
        self.client_holder = self._namespace_holder("client")
        _run(
            [
                "ip",
                "link",
                "add",
                "name",
                SERVER_DEV,
                "netns",
                str(self.server_holder.pid),
                "type",
                "veth",
                "peer",
                "name",
                CLIENT_DEV,
                "netns",
                str(self.client_holder.pid),
            ]
        )
        for holder, dev, address in (
            (self.server_holder, SERVER_DEV, SERVER),
            (self.client_holder, CLIENT_DEV, CLIENT),
        ):
            inside = ["nsenter", "-t", str(holder.pid), "-n"]
            _run([*inside, "ip", "link", "set", "lo", "up"])
            _run([*inside, "ip", "addr", "add", f"{address}/30", "dev", dev])
            _run([*inside, "ip", "link", "set", dev, "up"])
            if not self.shaped:
                continue
            _run([*inside, "tc", "qdisc", "add", "dev", dev, "root", "tbf", *TBF])
            # --queue-bypass: if the delay program is gone (a killed bench), packets pass, so the
            # far side hears the connection close; the bench checks the delay is alive at the end.
            # iptables' lock file goes in our directory, not /run/xtables.lock on the machine.
            _run(
                [*inside, _which("iptables-legacy"), "-w", "-A", "INPUT", "-i", dev, *QUEUE],
                env=dict(os.environ, XTABLES_LOCKFILE=str(self.dir / "xtables.lock")),
            )
        self._start_sshd()

    def _namespace_holder(self, name: str) -> subprocess.Popen:
        argv = ["unshare", "--net", "--", sys.executable, str(HERE / "link_delay.py"), "0", str(self.one_way_ms)]
        process = self._spawn(argv, stdout=subprocess.PIPE, name=f"delay-{name}")
        line = process.stdout.readline()
        if line.strip() != b"holding":
            raise RuntimeError(
                f"the packet delay did not start: {(self.dir / f'delay-{name}.log').read_text().strip()}"
            )
        self.namespaces.add(os.stat(f"/proc/{process.pid}/ns/net").st_ino)
        return process

    def _spawn(self, argv: list[str], name: str, **kwargs) -> subprocess.Popen:
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115  the process keeps it
        kwargs.setdefault("stdout", log)
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=log, preexec_fn=_die_with_parent, **kwargs)
        log.close()
        self.processes.append(process)
        return process

    def _start_sshd(self) -> None:
        d = self.dir
        for key in ("host_key", "client_key"):
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "plab-link", "-f", str(d / key)])
        (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
        (d / "known_hosts").write_text(f"{SERVER} {(d / 'host_key.pub').read_text()}")
        (d / "sshd_config").write_text(
            f"ListenAddress {SERVER}:22\nHostKey {d / 'host_key'}\nPidFile {d / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
            "StrictModes no\nPrintMotd no\nPrintLastLog no\nUseDNS no\n"
            # A session whose client vanished (a killed bench) ends within ~15 s, and its app with it.
            "ClientAliveInterval 5\nClientAliveCountMax 2\n"
        )
        # sshd wants /run/sshd: give it one in a private /run rather than create it on the machine.
        script = (
            "mount -t tmpfs -o mode=0755 plab-link /run && mkdir -m 0755 /run/sshd && "
            f"exec {_which('sshd')} -D -e -f {shlex.quote(str(d / 'sshd_config'))}"
        )
        self.sshd = self._spawn(
            ["nsenter", "-t", str(self.server_holder.pid), "-n", "unshare", "--mount", "sh", "-c", script], name="sshd"
        )
        deadline = time.monotonic() + 10
        while b"Server listening" not in (d / "sshd.log").read_bytes():
            if self.sshd.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not start: {(d / 'sshd.log').read_text().strip()}")
            time.sleep(0.02)

    # --- using it -------------------------------------------------------------------------------

    def client(self, argv: list[str]) -> list[str]:
        """An argv that runs `argv` on the client's side of the link."""
        return ["nsenter", "-t", str(self.client_holder.pid), "-n", *argv]

    def server_side(self, argv: list[str]) -> list[str]:
        return ["nsenter", "-t", str(self.server_holder.pid), "-n", *argv]

    def ssh(self, command: str, tty: bool = False) -> list[str]:
        """An argv that runs the shell command `command` on the far side over SSH."""
        d = self.dir
        options = [
            "-F",
            "/dev/null",
            "-i",
            str(d / "client_key"),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            f"UserKnownHostsFile={d / 'known_hosts'}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ControlPath=none",
            "-e",
            "none",
        ]
        return self.client(["ssh", "-tt" if tty else "-T", *options, f"root@{SERVER}", command])

    def wire_bytes(self) -> int:
        """Bytes the server's end has sent over the link so far (SSH, TCP and IP included)."""
        for line in Path(f"/proc/{self.server_holder.pid}/net/dev").read_text().splitlines():
            name, _, counters = line.partition(":")
            if name.strip() == SERVER_DEV:
                return int(counters.split()[8])  # receive has 8 columns, then transmit's bytes
        raise RuntimeError(f"{SERVER_DEV} is not in the server's namespace")

    def delaying(self) -> bool:
        """Whether both delay programs still run (else packets have been passing undelayed)."""
        return all(holder.poll() is None for holder in (self.server_holder, self.client_holder))

    def drops(self) -> str:
        """What the rate limits dropped and delayed so far, both ends ("" on an unshaped link)."""
        if not self.shaped:
            return ""
        counts = []
        for holder, dev in ((self.server_holder, SERVER_DEV), (self.client_holder, CLIENT_DEV)):
            out = _run(["nsenter", "-t", str(holder.pid), "-n", "tc", "-s", "qdisc", "show", "dev", dev])
            sent = out.split("Sent", 1)[1].split(")", 1)[0]
            counts.append(f"{dev}: sent{sent})")
        return "; ".join(counts)

    def spawn(self, argv: list[str], name: str) -> subprocess.Popen:
        return self._spawn(argv, name=name)

    # --- taking it down -------------------------------------------------------------------------

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._end_stragglers()
        self.processes.clear()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def _end_stragglers(self) -> None:
        """Whatever still runs in our namespaces (an SSH session's processes) was started by us."""
        if not self.namespaces:
            return
        for _ in range(2):
            left = []
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        if os.stat(f"/proc/{entry}/ns/net").st_ino in self.namespaces:
                            left.append(int(entry))
                    except OSError:
                        continue
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if not left:
                return
            time.sleep(0.2)


def _remove_stale_dirs() -> None:
    """A bench killed outright (SIGKILL) leaves its key directory: remove those of dead benches."""
    for path in Path(tempfile.gettempdir()).glob("plab-link-*-*"):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


def _run(argv: list[str], env: dict | None = None) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout
