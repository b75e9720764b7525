#! /usr/bin/python3
# kernel-tc-check.py: host-side helpers for tests/kernel-tc.at.
#
#   kernel-tc-check.py nic FILE PATH...   prints PATHs ("nic.egress.packets")
#                                         of the first binding in QP-map JSON
#                                         FILE, space-separated
#   kernel-tc-check.py roce PCAP          prints "VNI OUTER-SRC DESTQP" per
#                                         RoCEv2 frame in PCAP (VXLAN on
#                                         4789, Geneve on 6081)
import json
import subprocess
import sys


def nic(path, fields):
    binding = json.load(open(path))["bindings"][0]
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


if sys.argv[1] == "nic":
    nic(sys.argv[2], sys.argv[3:])
elif sys.argv[1] == "roce":
    roce(sys.argv[2])
else:
    sys.exit("usage: kernel-tc-check.py (nic FILE PATH... | roce PCAP)")
