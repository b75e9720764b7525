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

#include <config.h>
#include "rdma-addr.h"

#include <string.h>

#include "packets.h"
#include "util.h"

/* Parses 's', an IPv4 or IPv6 address, into '*ip' (IPv4-mapped for IPv4).
 * Returns true on success. */
bool
rdma_ip_parse(const char *s, struct in6_addr *ip)
{
    ovs_be32 ip4;

    if (ip_parse(s, &ip4)) {
        *ip = in6_addr_mapped_ipv4(ip4);
        return true;
    }
    return ipv6_parse(s, ip);
}

/* Parses 's', an IPv4 or IPv6 address with an optional "/PLEN", into
 * '*ip' and '*plen', where '*plen' counts bits of the IPv4-mapped form for
 * IPv4 (so 10.0.0.0/8 gives plen 104).  Returns NULL on success, else a
 * malloc'd error message. */
char *
rdma_ip_parse_cidr(const char *s, struct in6_addr *ip, unsigned int *plen)
{
    ovs_be32 ip4;
    char *error;

    error = ip_parse_cidr(s, &ip4, plen);
    if (!error) {
        *ip = in6_addr_mapped_ipv4(ip4);
        *plen += 96;
        return NULL;
    }
    free(error);
    error = ipv6_parse_cidr(s, ip, plen);
    if (error) {
        free(error);
        return xasprintf("\"%s\" is not an IPv4 or IPv6 address or prefix",
                         s);
    }
    return NULL;
}

/* Returns true if 'ip' is an IPv4-mapped address. */
bool
rdma_ip_is_v4(const struct in6_addr *ip)
{
    return IN6_IS_ADDR_V4MAPPED(ip);
}

/* Returns true if 'ip' is neither :: nor the mapped 0.0.0.0. */
bool
rdma_ip_is_set(const struct in6_addr *ip)
{
    return rdma_ip_is_v4(ip) ? in6_addr_get_mapped_ipv4(ip) != 0
                             : ipv6_addr_is_set(ip);
}

/* Returns true if the first 'plen' bits of 'ip' and 'prefix' are equal. */
bool
rdma_ip_in_prefix(const struct in6_addr *ip, const struct in6_addr *prefix,
                  unsigned int plen)
{
    const uint8_t *a = ip->s6_addr, *b = prefix->s6_addr;
    unsigned int whole = MIN(plen, 128) / 8, rest = MIN(plen, 128) % 8;

    return (!memcmp(a, b, whole)
            && (!rest || !((a[whole] ^ b[whole]) & (0xff00 >> rest))));
}

/* Appends the decimal digits of 'n' to 'p' and returns the end. */
static char *
put_decimal(char *p, unsigned int n)
{
    if (n >= 100) {
        *p++ = '0' + n / 100;
    }
    if (n >= 10) {
        *p++ = '0' + n / 10 % 10;
    }
    *p++ = '0' + n % 10;
    return p;
}

/* Formats 'ip' into 'buf' (dotted quad if IPv4-mapped) and returns 'buf'.
 * (IPv4 by hand: glibc's inet_ntop() goes through sprintf(), which was a
 * tenth of the CPU time of a bind's reply.) */
const char *
rdma_ip_to_string(const struct in6_addr *ip, char buf[46])
{
    if (rdma_ip_is_v4(ip)) {
        char *p = buf;

        for (int i = 12; i < 16; i++) {
            p = put_decimal(p, ip->s6_addr[i]);
            *p++ = i < 15 ? '.' : '\0';
        }
        return buf;
    }
    return ipv6_string_mapped(buf, ip);
}

/* Formats 'mac' into 'buf' as ETH_ADDR_FMT does (lower-case hex, colons)
 * and returns 'buf'. */
const char *
rdma_mac_to_string(const struct eth_addr mac, char buf[18])
{
    static const char hex[] = "0123456789abcdef";
    char *p = buf;

    for (int i = 0; i < 6; i++) {
        *p++ = hex[mac.ea[i] >> 4];
        *p++ = hex[mac.ea[i] & 15];
        *p++ = i < 5 ? ':' : '\0';
    }
    return buf;
}
