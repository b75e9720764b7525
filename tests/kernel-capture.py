#! /usr/bin/python3
# kernel-capture.py: captures the first COUNT overlay frames that carry
# RoCEv2 (inner UDP destination port 4791) leaving DEVICE, into a pcap file.
#
# Usage: kernel-capture.py DEVICE COUNT PCAP READY-FILE [TIMEOUT]
#
# For the kernel lane's guest: a plain AF_PACKET socket sees each frame as
# it passes (libpcap's TPACKET_V3 blocks hold frames back for up to a
# second), so the capture ends as soon as COUNT frames are in, with no fixed
# wait.  Writes READY-FILE once the socket is open.  Only outgoing IPv4
# UDP frames (optionally 802.1Q-tagged) whose payload, after the 8-byte
# VXLAN or Geneve header and its options, is Ethernet + IPv4 + UDP to port
# 4791 are kept; an 802.1Q tag that the kernel passes out of band is put
# back into the frame.  Exits 1 if fewer than COUNT arrive within TIMEOUT
# seconds (default 60).

import socket
import struct
import sys
import time

ETH_P_ALL = 3
PACKET_OUTGOING = 4
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10


def with_vlan(frame, anc):
    """Puts back the 802.1Q tag that the kernel passed out of band."""
    for level, kind, data in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA:
            status, _, _, _, _, tci, tpid = struct.unpack_from("IIIHHHH", data)
            if status & TP_STATUS_VLAN_VALID:
                tag = struct.pack("!HH", tpid or 0x8100, tci)
                return frame[:12] + tag + frame[12:]
    return frame


def inner_roce(frame):
    """True if 'frame' is an overlay frame carrying RoCEv2 (UDP 4791)."""
    off = 12
    ethertype = struct.unpack_from("!H", frame, off)[0]
    off += 2
    if ethertype == 0x8100:
        ethertype = struct.unpack_from("!H", frame, off + 2)[0]
        off += 4
    if ethertype != 0x0800 or frame[off + 9] != 17:
        return False
    off += (frame[off] & 0x0f) * 4
    dport = struct.unpack_from("!H", frame, off + 2)[0]
    off += 8
    if dport == 6081:
        off += 8 + (frame[off] & 0x3f) * 4
    else:
        off += 8
    off += 14
    if len(frame) < off + 24 or frame[off - 2:off] != b"\x08\x00":
        return False
    if frame[off + 9] != 17:
        return False
    off += (frame[off] & 0x0f) * 4
    return struct.unpack_from("!H", frame, off + 2)[0] == 4791


def main():
    dev, count, path, ready = sys.argv[1:5]
    count = int(count)
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((dev, 0))
    open(ready, "w").close()
    frames = []
    deadline = time.time() + timeout
    while len(frames) < count and time.time() < deadline:
        s.settimeout(max(deadline - time.time(), 0.01))
        try:
            frame, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(20))
        except socket.timeout:
            break
        frame = with_vlan(frame, anc)
        if addr[2] == PACKET_OUTGOING and inner_roce(frame):
            frames.append(frame)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for frame in frames:
            t = time.time()
            f.write(struct.pack("<IIII", int(t), int(t % 1 * 1e6),
                                len(frame), len(frame)))
            f.write(frame)
    if len(frames) < count:
        sys.stderr.write("captured %d of %d frames on %s\n"
                         % (len(frames), count, dev))
        sys.exit(1)


main()
