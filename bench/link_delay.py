"""Hold every packet of a netfilter queue for a fixed time, then let it through: the propagation
delay of an emulated link, for a kernel without netem (bench/link_bench.py runs one in each
network namespace, on the INPUT hook, so each direction is held once).

Plain Python over a netlink socket (the nfnetlink_queue protocol), no libnetfilter_queue: only
the packet's id is copied to user space, and verdicts go back in arrival order.

    python bench/link_delay.py QUEUE_NUMBER MILLISECONDS
"""

from __future__ import annotations

import collections
import errno
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND, NFQNL_CFG_CMD_UNBIND = 1, 2
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NF_ACCEPT = 1
NLM_F_REQUEST = 1
NLMSG_ERROR, NLMSG_DONE = 2, 3


class Queue:
    """One bound netfilter queue: packets come in as ids, verdicts go out by id."""

    def __init__(self, number: int, maxlen: int = 4096):
        self.number = number
        self.seq = 0
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.bind((0, 0))
        self._send(NFQNL_MSG_CONFIG, [(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, socket.AF_INET))])
        self._send(NFQNL_MSG_CONFIG, [(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META))])
        self._send(NFQNL_MSG_CONFIG, [(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", maxlen))])

    def _send(self, kind: int, attributes: list[tuple[int, bytes]]) -> None:
        body = struct.pack("!BBH", socket.AF_UNSPEC, 0, self.number)  # nfgenmsg: family, version, queue
        for number, payload in attributes:
            attribute = struct.pack("=HH", 4 + len(payload), number) + payload
            body += attribute + b"\0" * (-len(attribute) % 4)
        self.seq += 1
        header = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, NLM_F_REQUEST, self.seq, 0)
        self.sock.send(header + body)

    def accept(self, packet_id: int) -> None:
        self._send(NFQNL_MSG_VERDICT, [(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, packet_id))])

    def receive(self) -> list[int]:
        """The ids of the packets in one read from the socket (several messages may come at once)."""
        try:
            data = self.sock.recv(1 << 16)
        except OSError as error:
            if error.errno == errno.ENOBUFS:  # the kernel dropped messages: those packets are lost
                return []
            raise
        ids, offset = [], 0
        while offset + 16 <= len(data):
            length, kind, _, _, _ = struct.unpack_from("=IHHII", data, offset)
            if length < 16:
                break
            if kind == NLMSG_ERROR:
                (code,) = struct.unpack_from("=i", data, offset + 16)
                if code:
                    raise OSError(-code, f"nfnetlink_queue: {errno.errorcode.get(-code, code)}")
            elif kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                at, end = offset + 20, offset + length
                while at + 4 <= end:
                    size, number = struct.unpack_from("=HH", data, at)
                    if size < 4:
                        break
                    if number & 0x7FFF == NFQA_PACKET_HDR:
                        ids.append(struct.unpack_from("!I", data, at + 4)[0])
                    at += (size + 3) & ~3
            offset += (length + 3) & ~3
        return ids

    def close(self) -> None:
        try:
            self._send(NFQNL_MSG_CONFIG, [(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_UNBIND, socket.AF_INET))])
        finally:
            self.sock.close()


def hold(queue: Queue, seconds: float) -> None:
    """Let each packet through `seconds` after it arrived, in arrival order, until SIGTERM."""
    held: collections.deque[tuple[float, int]] = collections.deque()
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        ready, _, _ = select.select([queue.sock], [], [], timeout)
        if ready:
            due = time.monotonic() + seconds
            held.extend((due, packet_id) for packet_id in queue.receive())
        now = time.monotonic()
        while held and held[0][0] <= now:
            queue.accept(held.popleft()[1])


def main() -> None:
    number, milliseconds = int(sys.argv[1]), float(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    queue = Queue(number)
    print("holding", flush=True)  # the parent waits for this line before sending traffic
    try:
        hold(queue, milliseconds / 1000)
    finally:
        queue.close()


if __name__ == "__main__":
    main()
