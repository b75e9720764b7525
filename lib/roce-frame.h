/*
 * Copyright (c) 2026 The ovs-rdma authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef ROCE_FRAME_H
#define ROCE_FRAME_H 1

/* The inner RoCEv2 frame that an overlay RoCE NIC carries: Ethernet, IPv4
 * or IPv6, UDP to port 4791, the InfiniBand Base Transport Header, payload
 * and pad, and the invariant CRC (ICRC) of the RoCEv2 annex (IBA A17.8),
 * computed with zlib's crc32() as the Linux kernel's rxe driver and
 * scapy's scapy.contrib.roce compute it. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"

struct ovl_tuple;

/* BTH opcodes. */
#define ROCE_OPCODE_RC_SEND_ONLY 0x04
#define ROCE_OPCODE_UD_SEND_ONLY 0x64

/* Largest QP number: QP numbers are 24 bits (the BTH's destination QP).
 * QP 0 is the subnet management QP, never a connection's. */
#define RDMA_QPN_MAX 0xffffff

/* Lengths. */
#define ROCE_BTH_LEN 12
#define ROCE_ICRC_LEN 4

/* The Base Transport Header fields the soft NIC uses. */
struct roce_bth {
    uint8_t opcode;             /* Operation, e.g. ROCE_OPCODE_*. */
    bool solicited;             /* Solicited event (SE) bit. */
    uint16_t pkey;              /* Partition key. */
    uint32_t dest_qp;           /* Destination QP (24 bits). */
    bool ack_req;               /* Acknowledge request (A) bit. */
    uint32_t psn;               /* Packet sequence number (24 bits). */
};

/* A parsed inner frame. */
struct roce_frame_info {
    struct eth_addr src_mac;    /* Ethernet source. */
    struct eth_addr dst_mac;    /* Ethernet destination. */
    struct in6_addr src_ip;     /* IP source (IPv4-mapped for IPv4). */
    struct in6_addr dst_ip;     /* IP destination. */
    uint16_t udp_src;           /* UDP source port. */
    struct roce_bth bth;        /* BTH fields. */
    const uint8_t *payload;     /* Payload, in the parsed frame. */
    size_t payload_len;         /* Payload bytes, without pad. */
};

size_t roce_frame_build(const struct ovl_tuple *, const struct roce_bth *,
                        const void *payload, size_t len,
                        uint8_t *buf, size_t buf_size);
uint32_t roce_icrc(const uint8_t *l3, size_t len);
int roce_frame_parse(const uint8_t *frame, size_t len,
                     struct roce_frame_info *);

#endif /* roce-frame.h */
