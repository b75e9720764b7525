#! /usr/bin/python3
# kernel-tc-check.py: host-side helpers for tests/kernel-tc.at.
#
#   kernel-tc-check.py nic FILE PATH...   prints PATHs ("nic.egress.packets")
#                                         of the first binding in QP-map JSON
#                                         FILE, space-separated
#   kernel-tc-check.py all FILE PATH...   the same for every binding, one
#                                         line each
#   kernel-tc-check.py roce PCAP          prints "VNI OUTER-SRC DESTQP" per
#                                         RoCEv2 frame in PCAP (VXLAN on
#                                         4789, Geneve on 6081)
#   kernel-tc-check.py outer PCAP         prints "OUTER-SRC TOS TTL DF
#                                         UDP-CSUM CSUM-STATUS" per RoCEv2
#                                         frame in PCAP: the outer header's
#                                         TOS (hex), TTL, DF bit, UDP
#                                         checksum (hex) and tshark's check
#                                         of it (good, bad, none)
import json
import subprocess
import sys


def nic(path, fields, all_bindings=False):
    bindings = json.load(open(path))["bindings"]
    if all_bindings:
        for binding in bindings:
            print_fields(binding, fields)
    else:
        print_fields(bindings[0], fields)


def print_fields(binding, fields):
    out = []
    for field in fields:
        value = binding
        for key in field.split("."):
            value = value[key]
        out.append(json.dumps(value))
    print(" ".join(out))


def roce(pcap):
    lines = subprocess.run(
        ["tshark", "-r", pcap, "-n",
         "--disable-heuristic", "rpcrdma_infiniband",
         "-d", "udp.port==4789,vxlan", "-Y", "infiniband", "-T", "fields",
         "-e", "vxlan.vni", "-e", "geneve.vni",
         "-e", "ip.src", "-e", "infiniband.bth.destqp"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    for line in lines:
        vxlan_vni, geneve_vni, src, qp = line.split("\t")
        vni = vxlan_vni or geneve_vni
        print(int(vni, 0), src.split(",")[0], int(qp, 0))


def outer(pcap):
    # The first occurrence of each field is the outer header's.
    lines = subprocess.run(
        ["tshark", "-r", pcap, "-n",
         "--disable-heuristic", "rpcrdma_infiniband",
         "-o", "udp.check_checksum:TRUE",
         "-d", "udp.port==4789,vxlan", "-Y", "infiniband", "-T", "fields",
         "-E", "occurrence=f",
         "-e", "ip.src", "-e", "ip.dsfield", "-e", "ip.ttl",
         "-e", "ip.flags.df", "-e", "udp.checksum",
         "-e", "udp.checksum.status"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    for line in lines:
        src, tos, ttl, df, csum, status = line.split("\t")
        status = {"0": "bad", "1": "good"}.get(status, "none")
        df = "1" if df in ("1", "True", "Set") else "0"
        print(src, "0x%02x" % int(tos, 0), int(ttl, 0), df,
              "0x%04x" % int(csum, 0), status)


if sys.argv[1] == "nic":
    nic(sys.argv[2], sys.argv[3:])
elif sys.argv[1] == "all":
    nic(sys.argv[2], sys.argv[3:], True)
elif sys.argv[1] == "roce":
    roce(sys.argv[2])
elif sys.argv[1] == "outer":
    outer(sys.argv[2])
else:
    sys.exit("usage: kernel-tc-check.py (nic FILE PATH... | all FILE PATH... "
             "| roce PCAP | outer PCAP)")
