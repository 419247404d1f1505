/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NAT44 datapath: nat44-ed-in2out (inside interfaces) and nat44-ed-out2in (outside
 * interfaces), IPv4 input features between ip4-input and ip4-lookup. Both find a packet's
 * session in the running thread's table (either direction); without one, in2out makes one
 * for a flow to a service (hairpin: destination and source translated), from a static
 * mapping's local end, or routed out of an outside interface (source NAT from the pool);
 * out2in makes one for a flow to a static or load-balancing mapping, passes what is for
 * ligd itself (or everything, with forwarding on) and drops the rest. Checksums are
 * updated incrementally (IP, TCP, UDP, ICMP echo id; partial checksums from a virtio-net
 * peer get the address change only); ICMP errors are translated with their inner header.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/buffer.h"
#include "../vlib/graph.h"
#include "../vlib/handoff.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "nat44.h"

enum {
	NAT44_NEXT_DROP,
	NAT44_N_NEXT,
};

#define foreach_nat44_error                                                                        \
	_(NO_SESSION, "no session and no mapping (dropped; forwarding off)")                       \
	_(MAX_SESSIONS, "session table full: new flow dropped")                                    \
	_(OUT_OF_PORTS, "no free port in the NAT pool for the protocol")                           \
	_(NO_ADDRESS, "flow to an outside interface but no NAT pool address")                      \
	_(FRAGMENT, "IPv4 fragment needing translation (no reassembly)")                           \
	_(TRUNCATED, "L4 header truncated")                                                        \
	_(BAD_TCP_FLAGS, "TCP flags invalid (SYN with FIN or RST)")                                \
	_(NON_SYN, "TCP without SYN and without session")                                          \
	_(UNSUPPORTED_PROTO, "protocol other than TCP, UDP and ICMP needing translation")          \
	_(UNSUPPORTED_ICMP, "ICMP type not translated (echo and errors are)")                      \
	_(ICMP_NO_SESSION, "ICMP error whose inner packet matches no session")                     \
	_(COLLISION, "translated flow already exists")                                             \
	_(HAIRPIN, "hairpinned flows (inside -> service -> inside; counted, not dropped)")

enum {
#define _(sym, str) NAT44_ERROR_##sym,
	foreach_nat44_error
#undef _
	    NAT44_N_ERROR,
};

static const char *const nat44_error_strings[] = {
#define _(sym, str) str,
    foreach_nat44_error
#undef _
};

struct nat44_trace {
	u32 src, dst, new_src, new_dst;
	u16 sport, dport, new_sport, new_dport;
	u32 session;
	u8 proto;
	u8 reverse;
	u8 in2out;
	u8 translated;
};

static void
nat44_format_trace(struct lig_str *s, const void *record)
{
	const struct nat44_trace *t = record;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &t->src, a, sizeof(a));
	inet_ntop(AF_INET, &t->dst, b, sizeof(b));
	inet_ntop(AF_INET, &t->new_src, c, sizeof(c));
	inet_ntop(AF_INET, &t->new_dst, d, sizeof(d));
	lig_str_printf(s, "NAT44_%s: proto %u %s:%u -> %s:%u", t->in2out ? "IN2OUT" : "OUT2IN",
		       t->proto, a, t->sport, b, t->dport);
	if (t->translated)
		lig_str_printf(s, " => %s:%u -> %s:%u session %u %s", c, t->new_sport, d,
			       t->new_dport, t->session, t->reverse ? "reverse" : "forward");
	else
		lig_str_printf(s, " untranslated");
}

/* ---- checksums: raw (network order) words loaded natively, one's complement ---- */

static inline u32
acc32(u32 acc, u32 old, u32 new)
{
	return acc + (~old & 0xffff) + (~old >> 16) + (new & 0xffff) + (new >> 16);
}

static inline u32
acc16(u32 acc, u16 old, u16 new)
{
	return acc + (u16)~old + new;
}

static inline u16
csum_apply(u16 cs, u32 acc)
{
	u64 s = (u64)(u16)~cs + acc;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)~s;
}

static inline u16
ld16(const u8 *p)
{
	u16 v;
	memcpy(&v, p, 2);
	return v;
}

static inline void
st16(u8 *p, u16 v)
{
	memcpy(p, &v, 2);
}

/* Rewrites addresses and ports (host order) of a TCP/UDP/ICMP-echo packet. */
static void
rewrite(struct lig_buffer *b, struct lig_ip4_header *ip, u8 *l4, u32 nsrc, u32 ndst, u16 nsport,
	u16 ndport)
{
	u32 addr_acc = 0;

	addr_acc = acc32(addr_acc, ip->src, nsrc);
	addr_acc = acc32(addr_acc, ip->dst, ndst);
	ip->checksum = csum_apply(ip->checksum, addr_acc);
	ip->src = nsrc;
	ip->dst = ndst;
	if (ip->proto == LIG_IP_PROTO_ICMP) {
		u16 oid = ld16(l4 + 4), nid = htons(nsport);
		st16(l4 + 2, csum_apply(ld16(l4 + 2), acc16(0, oid, nid)));
		st16(l4 + 4, nid);
		return;
	}
	u16 osp = ld16(l4), odp = ld16(l4 + 2), nsp = htons(nsport), ndp = htons(ndport);
	u8 *csp = ip->proto == LIG_IP_PROTO_TCP ? l4 + 16 : l4 + 6;
	u16 cs = ld16(csp);
	st16(l4, nsp);
	st16(l4 + 2, ndp);
	if (ip->proto == LIG_IP_PROTO_UDP && cs == 0 && !(b->flags & LIG_BUFFER_CSUM_PARTIAL))
		return; /* no UDP checksum */
	if (b->flags & LIG_BUFFER_CSUM_PARTIAL) {
		/* The field holds the pseudo-header sum: only the addresses change it. */
		cs = (u16)~csum_apply((u16)~cs, addr_acc);
	} else {
		cs = csum_apply(cs, acc16(acc16(addr_acc, osp, nsp), odp, ndp));
		if (ip->proto == LIG_IP_PROTO_UDP && cs == 0)
			cs = 0xffff;
	}
	st16(csp, cs);
}

/* ---- per packet ---- */

struct pkt {
	struct lig_ip4_header *ip;
	u8 *l4;
	u32 avail; /* L4 bytes in the first buffer */
	u16 sport, dport;
	u8 proto;
	u8 tcp_flags;
	u8 icmp_type;
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static inline bool
is_icmp_error(u8 type)
{
	return type == LIG_ICMP4_DEST_UNREACH || type == LIG_ICMP4_TIME_EXCEEDED || type == 12;
}

/* Whether ip4-lookup would deliver dst locally, and the interface it would leave by. */
static u32
route_out(u32 fib_index, u32 dst, bool *local)
{
	u32 lb = lig_fib_lookup_lb(fib_index, dst);
	const struct lig_adj *adj = lig_adj_get(lig_fib_lb_pick(lb, 0));

	*local = adj->type == LIG_ADJ_LOCAL;
	if (adj->type == LIG_ADJ_GLEAN || adj->type == LIG_ADJ_NEIGHBOR)
		return adj->sw_if_index;
	return LIG_INVALID_INDEX;
}

static inline void
tcp_update(struct lig_nat44_session *s, bool reverse, u8 flags)
{
	if (flags & TCP_RST)
		s->tcp_state |= LIG_NAT44_TCP_RST;
	if (!reverse) {
		if (flags & TCP_SYN)
			s->tcp_state |= LIG_NAT44_TCP_SYN_F;
		if (flags & TCP_FIN)
			s->tcp_state |= LIG_NAT44_TCP_FIN_F;
		if ((flags & TCP_ACK) && (s->tcp_state & LIG_NAT44_TCP_SYN_R))
			s->tcp_state |= LIG_NAT44_TCP_ESTABLISHED;
	} else {
		if (flags & TCP_SYN)
			s->tcp_state |= LIG_NAT44_TCP_SYN_R;
		if (flags & TCP_FIN)
			s->tcp_state |= LIG_NAT44_TCP_FIN_R;
	}
}

static inline u8
tcp_class(const struct lig_nat44_session *s)
{
	return (s->tcp_state & LIG_NAT44_TCP_ESTABLISHED) &&
		       !(s->tcp_state &
			 (LIG_NAT44_TCP_FIN_F | LIG_NAT44_TCP_FIN_R | LIG_NAT44_TCP_RST))
		   ? LIG_NAT44_TC_TCP_EST
		   : LIG_NAT44_TC_TCP_TRANS;
}

/* A port for a hairpinned source: want, else a few pseudo-random ones, such that the
 * reply's key is free. 0 when none was. */
static u16
hairpin_port(struct lig_nat44_thread *t, const struct lig_nat44_session *s, u16 want)
{
	bool rev;
	u16 p = want;

	for (u32 i = 0; i < 32; i++) {
		u16 dp = s->proto == LIG_IP_PROTO_ICMP ? p : s->t_dport;
		if (p >= LIG_NAT44_PORT_MIN &&
		    lig_nat44_session_lookup(t, s->t_dst, s->t_src, dp, p, s->proto, &rev) ==
			LIG_INVALID_INDEX)
			return p;
		t->rng ^= t->rng << 13;
		t->rng ^= t->rng >> 7;
		t->rng ^= t->rng << 17;
		p = (u16)(LIG_NAT44_PORT_MIN + t->rng % (65536 - LIG_NAT44_PORT_MIN));
	}
	return 0;
}

/* Translates an ICMP error by the session of its inner packet. */
static int
icmp_error(struct lig_nat44_thread *t, struct lig_buffer *b, struct pkt *p, u32 *err)
{
	struct lig_ip4_header *ip = p->ip, *in;
	u32 ihl = (ip->ver_ihl & 0xf) * 4u, total = ntohs(ip->length), in_ihl, si;
	u8 *inl4;
	bool rev;

	if (p->avail < 8 + 20 + 8) {
		*err = NAT44_ERROR_TRUNCATED;
		return -1;
	}
	in = (void *)(p->l4 + 8);
	in_ihl = (in->ver_ihl & 0xf) * 4u;
	if ((in->ver_ihl >> 4) != 4 || in_ihl < 20 || 8 + in_ihl + 8 > p->avail ||
	    total > b->current_length || (b->flags & LIG_BUFFER_NEXT_PRESENT)) {
		*err = NAT44_ERROR_TRUNCATED;
		return -1;
	}
	inl4 = (u8 *)in + in_ihl;
	u16 isp, idp;
	if (in->proto == LIG_IP_PROTO_TCP || in->proto == LIG_IP_PROTO_UDP) {
		isp = ntohs(ld16(inl4));
		idp = ntohs(ld16(inl4 + 2));
	} else if (in->proto == LIG_IP_PROTO_ICMP &&
		   (inl4[0] == LIG_ICMP4_ECHO_REQUEST || inl4[0] == LIG_ICMP4_ECHO_REPLY)) {
		isp = idp = ntohs(ld16(inl4 + 4));
	} else {
		*err = NAT44_ERROR_UNSUPPORTED_ICMP;
		return -1;
	}
	si = lig_nat44_session_lookup(t, in->dst, in->src, idp, isp, in->proto, &rev);
	if (si == LIG_INVALID_INDEX) {
		*err = NAT44_ERROR_ICMP_NO_SESSION;
		return 1; /* the caller decides: pass or drop */
	}
	const struct lig_nat44_session *s = &t->sessions[si];
	u32 nis, nid, nos = ip->src, nod = ip->dst;
	u16 nisp, nidp;
	if (rev) {
		/* The inner packet is the translated forward flow: back to how it was sent. */
		nis = s->f_src, nid = s->f_dst, nisp = s->f_sport, nidp = s->f_dport;
		if (ip->dst == s->t_src)
			nod = s->f_src;
		if (ip->src == s->t_dst)
			nos = s->f_dst;
	} else {
		/* The inner packet is a reply as the initiator received it: as it was sent. */
		nis = s->t_dst, nid = s->t_src, nisp = s->t_dport, nidp = s->t_sport;
		if (ip->src == s->f_src)
			nos = s->t_src;
		if (ip->dst == s->f_dst)
			nod = s->t_dst;
	}
	/* Inner L4 checksum, where the quoted bytes hold it. */
	u32 acc = acc32(acc32(0, in->src, nis), in->dst, nid);
	if (in->proto == LIG_IP_PROTO_ICMP) {
		u16 oid = ld16(inl4 + 4), nidv = htons(nisp);
		st16(inl4 + 2, csum_apply(ld16(inl4 + 2), acc16(0, oid, nidv)));
		st16(inl4 + 4, nidv);
	} else {
		u16 osp = ld16(inl4), odp = ld16(inl4 + 2), a = htons(nisp), c = htons(nidp);
		u32 csoff = in->proto == LIG_IP_PROTO_TCP ? 16 : 6;
		st16(inl4, a);
		st16(inl4 + 2, c);
		if (8 + in_ihl + csoff + 2 <= p->avail) {
			u16 cs = ld16(inl4 + csoff);
			if (!(in->proto == LIG_IP_PROTO_UDP && cs == 0))
				st16(inl4 + csoff,
				     csum_apply(cs, acc16(acc16(acc, osp, a), odp, c)));
		}
	}
	in->src = nis;
	in->dst = nid;
	in->checksum = 0;
	in->checksum = htons(lig_ip4_header_csum(in, in_ihl / 4));
	/* Outer header, then the whole ICMP message's checksum. */
	ip->checksum = csum_apply(ip->checksum, acc32(acc32(0, ip->src, nos), ip->dst, nod));
	ip->src = nos;
	ip->dst = nod;
	st16(p->l4 + 2, 0);
	st16(p->l4 + 2, htons(lig_ip4_csum_fold(lig_ip4_csum_add(0, p->l4, total - ihl))));
	return 0;
}

static u16
nat44_one(struct lig_node *node, struct lig_nat44_thread *t, struct lig_buffer *b, bool in2out,
	  u32 feature, u64 now, u32 *err, struct nat44_trace *tr)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	u32 sw = b->sw_if_index[LIG_RX], ihl = (ip->ver_ihl & 0xf) * 4u;
	u32 len = LIG_MIN((u32)b->current_length, (u32)ntohs(ip->length));
	u16 pass = lig_ip4_feature_next(feature, sw);
	struct pkt p = {.ip = ip, .l4 = (u8 *)ip + ihl, .proto = ip->proto};
	u32 kind = 0; /* 0: a key; else the error that prevents one */
	bool rev, local;
	u32 si;

	tr->src = ip->src;
	tr->dst = ip->dst;
	tr->proto = ip->proto;
	tr->in2out = in2out;
	p.avail = len > ihl ? len - ihl : 0;
	if (ip->frag & htons(LIG_IP4_MF | LIG_IP4_FRAG_OFFSET_MASK)) {
		kind = NAT44_ERROR_FRAGMENT;
	} else if (p.proto == LIG_IP_PROTO_TCP) {
		if (p.avail < 20 || (p.l4[12] >> 4) < 5 || (u32)(p.l4[12] >> 4) * 4 > p.avail)
			kind = NAT44_ERROR_TRUNCATED;
		else
			p.tcp_flags = p.l4[13];
	} else if (p.proto == LIG_IP_PROTO_UDP) {
		if (p.avail < 8)
			kind = NAT44_ERROR_TRUNCATED;
	} else if (p.proto == LIG_IP_PROTO_ICMP) {
		if (p.avail < 8)
			kind = NAT44_ERROR_TRUNCATED;
		else if (is_icmp_error(p.l4[0]))
			kind = NAT44_ERROR_ICMP_NO_SESSION; /* below */
		else if (p.l4[0] != LIG_ICMP4_ECHO_REQUEST && p.l4[0] != LIG_ICMP4_ECHO_REPLY)
			kind = NAT44_ERROR_UNSUPPORTED_ICMP;
		if (p.avail >= 8) {
			p.icmp_type = p.l4[0];
			p.sport = p.dport = ntohs(ld16(p.l4 + 4));
		}
	} else {
		kind = NAT44_ERROR_UNSUPPORTED_PROTO;
	}
	if (!kind && p.proto != LIG_IP_PROTO_ICMP) {
		p.sport = ntohs(ld16(p.l4));
		p.dport = ntohs(ld16(p.l4 + 2));
	}
	tr->sport = p.sport;
	tr->dport = p.dport;

	/* An expiring TTL goes untranslated: ip4 answers the real source. */
	if (ip->ttl <= 1)
		return pass;

	if (kind == NAT44_ERROR_ICMP_NO_SESSION) {
		int r = icmp_error(t, b, &p, err);
		if (r == 0) {
			tr->translated = 1;
			tr->new_src = ip->src;
			tr->new_dst = ip->dst;
			return pass;
		}
		if (r < 0)
			return NAT44_NEXT_DROP;
		/* No session: as any unmatched packet below (kind stays set). */
	}

	if (!kind) {
		si = lig_nat44_session_lookup(t, ip->src, ip->dst, p.sport, p.dport, p.proto, &rev);
		if (si != LIG_INVALID_INDEX) {
			struct lig_nat44_session *s = &t->sessions[si];
			u8 tc = s->tc;
			if (p.proto == LIG_IP_PROTO_TCP) {
				u8 f = p.tcp_flags;
				if ((f & TCP_SYN) && (f & (TCP_FIN | TCP_RST))) {
					*err = NAT44_ERROR_BAD_TCP_FLAGS;
					return NAT44_NEXT_DROP;
				}
				/* A new connection reusing a closed one's tuple starts over. */
				if (!rev && (f & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
				    (s->tcp_state & LIG_NAT44_TCP_RST ||
				     (s->tcp_state & (LIG_NAT44_TCP_FIN_F | LIG_NAT44_TCP_FIN_R)) ==
					 (LIG_NAT44_TCP_FIN_F | LIG_NAT44_TCP_FIN_R)))
					s->tcp_state = 0;
				tcp_update(s, rev, f);
				tc = tcp_class(s);
			}
			lig_nat44_session_touch(t, si, tc, now);
			if (rev) {
				s->packets_r++;
				rewrite(b, ip, p.l4, s->f_dst, s->f_src, s->f_dport, s->f_sport);
			} else {
				s->packets_f++;
				rewrite(b, ip, p.l4, s->t_src, s->t_dst, s->t_sport, s->t_dport);
			}
			goto translated;
		}
	}

	/* No session: does this flow need one? */
	struct lig_hash64_slot *m = NULL;
	bool dnat = false, static_snat = false;
	if (p.proto == LIG_IP_PROTO_TCP || p.proto == LIG_IP_PROTO_UDP ||
	    p.proto == LIG_IP_PROTO_ICMP) {
		m = lig_hash64_lookup(&nm->by_external,
				      lig_nat44_static_key(ip->dst, p.dport, p.proto));
		if (!m)
			m = lig_hash64_lookup(&nm->by_external,
					      lig_nat44_static_key(ip->dst, 0, 0));
		dnat = m != NULL;
		if (!m && in2out) {
			m = lig_hash64_lookup(&nm->by_local,
					      lig_nat44_static_key(ip->src, p.sport, p.proto));
			if (!m)
				m = lig_hash64_lookup(&nm->by_local,
						      lig_nat44_static_key(ip->src, 0, 0));
			static_snat = m != NULL;
		}
	}
	u32 out_sw = LIG_INVALID_INDEX;
	if (!m || static_snat) {
		/* Source NAT (pool or a static mapping's local end) only towards the outside. */
		out_sw = route_out(b->ip4.fib_index, ip->dst, &local);
		if (in2out) {
			if (local || out_sw >= LIG_IF_MAX ||
			    !(nm->if_flags[out_sw] & LIG_NAT44_IF_OUTSIDE))
				return pass; /* not leaving by an outside interface */
		} else {
			if (local || nm->forwarding)
				return pass;
			*err = kind ? kind : NAT44_ERROR_NO_SESSION;
			return NAT44_NEXT_DROP;
		}
	}
	if (kind) {
		*err = kind;
		return NAT44_NEXT_DROP;
	}
	if (p.proto == LIG_IP_PROTO_TCP &&
	    (p.tcp_flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_ACK)) != TCP_SYN) {
		*err = (p.tcp_flags & TCP_SYN) && (p.tcp_flags & (TCP_FIN | TCP_RST))
			   ? NAT44_ERROR_BAD_TCP_FLAGS
			   : NAT44_ERROR_NON_SYN;
		return NAT44_NEXT_DROP;
	}
	if (p.proto == LIG_IP_PROTO_ICMP && p.icmp_type != LIG_ICMP4_ECHO_REQUEST) {
		*err = NAT44_ERROR_NO_SESSION;
		return NAT44_NEXT_DROP;
	}

	struct lig_nat44_session ns = {
	    .f_src = ip->src,
	    .f_dst = ip->dst,
	    .f_sport = p.sport,
	    .f_dport = p.dport,
	    .t_src = ip->src,
	    .t_dst = ip->dst,
	    .t_sport = p.sport,
	    .t_dport = p.dport,
	    .proto = p.proto,
	    .tc = p.proto == LIG_IP_PROTO_TCP	? LIG_NAT44_TC_TCP_TRANS
		  : p.proto == LIG_IP_PROTO_UDP ? LIG_NAT44_TC_UDP
						: LIG_NAT44_TC_ICMP,
	    .tcp_state = p.proto == LIG_IP_PROTO_TCP ? LIG_NAT44_TCP_SYN_F : 0,
	};
	int ps = lig_nat44_proto_slot(p.proto);
	if (dnat) {
		const struct lig_nat44_static *sm = &nm->statics[m->value];
		ns.flags = LIG_NAT44_S_STATIC | (in2out ? 0 : LIG_NAT44_S_OUT2IN);
		ns.static_index = (u16)m->value;
		if (sm->is_lb) {
			u32 k = lig_nat44_lb_pick(t, (u32)m->value, ip->src, now);
			ns.t_dst = sm->locals[k].addr;
			ns.t_dport = sm->locals[k].port;
		} else {
			ns.t_dst = sm->local_addr;
			if (sm->proto)
				ns.t_dport = sm->local_port;
		}
		if (p.proto == LIG_IP_PROTO_ICMP)
			ns.t_sport = ns.t_dport;
		if (in2out) {
			/* Hairpin: the backend must answer through us, so the source becomes
			 * our address on the backend's side. */
			ns.flags |= LIG_NAT44_S_HAIRPIN;
			ns.t_src = lig_ip4_interface_source(sw, ns.t_dst);
			u16 hp = hairpin_port(t, &ns, p.sport);
			if (!ns.t_src || !hp) {
				*err = NAT44_ERROR_OUT_OF_PORTS;
				return NAT44_NEXT_DROP;
			}
			ns.t_sport = hp;
			if (p.proto == LIG_IP_PROTO_ICMP)
				ns.t_dport = hp;
			lig_node_count_error(node, NAT44_ERROR_HAIRPIN, 1);
		}
	} else if (static_snat) {
		const struct lig_nat44_static *sm = &nm->statics[m->value];
		ns.flags = LIG_NAT44_S_STATIC;
		ns.static_index = (u16)m->value;
		ns.t_src = sm->ext_addr;
		if (sm->proto)
			ns.t_sport = sm->ext_port;
		if (p.proto == LIG_IP_PROTO_ICMP)
			ns.t_dport = ns.t_sport;
	} else {
		u32 n = nm->n_addresses, first;
		u16 port = 0;
		if (!n) {
			*err = NAT44_ERROR_NO_ADDRESS;
			return NAT44_NEXT_DROP;
		}
		first = lig_nat44_hash(ip->src, 0, 0, 0, 0) % n;
		for (u32 k = 0; k < n && !port; k++) {
			u32 ai = (first + k) % n;
			port = lig_nat44_port_alloc(t, ai, ps, p.sport);
			if (port)
				ns.addr_index = (u16)ai;
		}
		if (!port) {
			*err = NAT44_ERROR_OUT_OF_PORTS;
			return NAT44_NEXT_DROP;
		}
		ns.flags = LIG_NAT44_S_DYNAMIC_PORT;
		ns.t_src = nm->addresses[ns.addr_index].addr;
		ns.t_sport = port;
		if (p.proto == LIG_IP_PROTO_ICMP)
			ns.t_dport = port;
	}
	int cerr = 0;
	si = lig_nat44_session_create(t, &ns, now, &cerr);
	if (si == LIG_INVALID_INDEX) {
		if (ns.flags & LIG_NAT44_S_DYNAMIC_PORT)
			lig_nat44_port_free(ns.addr_index, ps, ns.t_sport);
		*err = cerr == -ENOSPC ? NAT44_ERROR_MAX_SESSIONS : NAT44_ERROR_COLLISION;
		return NAT44_NEXT_DROP;
	}
	t->sessions[si].packets_f = 1;
	rev = false;
	rewrite(b, ip, p.l4, ns.t_src, ns.t_dst, ns.t_sport, ns.t_dport);
translated:
	tr->translated = 1;
	tr->session = si;
	tr->reverse = rev;
	tr->new_src = ip->src;
	tr->new_dst = ip->dst;
	if (p.proto == LIG_IP_PROTO_ICMP) {
		tr->new_sport = tr->new_dport = ntohs(ld16(p.l4 + 4));
	} else {
		tr->new_sport = ntohs(ld16(p.l4));
		tr->new_dport = ntohs(ld16(p.l4 + 2));
	}
	return pass;
}

/*
 * The thread that owns a packet's session, with two workers or more: the one the remote
 * endpoint's address hashes to (the outside peer of a source-NAT flow, the client of a
 * service), which both directions name: in2out by its destination, out2in by its source,
 * an ICMP error by its inner packet. A hairpinned flow's reply comes back to our own
 * address: its forward direction hashes the rx interface's first address, which the
 * translation uses as source.
 */
static u32
nat44_owner(struct lig_buffer *b, bool in2out)
{
	const struct lig_ip4_header *ip = (const void *)lig_buffer_data(b);
	u32 ihl = (ip->ver_ihl & 0xf) * 4u, len = b->current_length, r;
	const u8 *l4 = (const u8 *)ip + ihl;

	r = in2out ? ip->dst : ip->src;
	if (ip->proto == LIG_IP_PROTO_ICMP && len >= ihl + 8 + 20 && is_icmp_error(l4[0]) &&
	    !(ip->frag & htons(LIG_IP4_MF | LIG_IP4_FRAG_OFFSET_MASK))) {
		const struct lig_ip4_header *in = (const void *)(l4 + 8);
		r = in2out ? in->src : in->dst;
	} else if (in2out) {
		u16 dport = 0;
		if (ip->proto == LIG_IP_PROTO_ICMP && len >= ihl + 8)
			dport = ntohs(ld16(l4 + 4));
		else if ((ip->proto == LIG_IP_PROTO_TCP || ip->proto == LIG_IP_PROTO_UDP) &&
			 len >= ihl + 4)
			dport = ntohs(ld16(l4 + 2));
		if (lig_hash64_lookup(&lig_nat44_main.by_external,
				      lig_nat44_static_key(ip->dst, dport, ip->proto)) ||
		    lig_hash64_lookup(&lig_nat44_main.by_external,
				      lig_nat44_static_key(ip->dst, 0, 0))) {
			u32 sw = b->sw_if_index[LIG_RX];
			if (sw < LIG_IF_MAX && lig_ip4_main.ifs[sw].n_addrs)
				r = lig_ip4_main.ifs[sw].addrs[0].addr;
		}
	}
	return 1 + lig_nat44_hash(r, 0, 0, 0, 0) % lig_n_workers;
}

/* Hands the packets other threads own to them; returns how many stay (in from[]). */
static u32
nat44_handoff(struct lig_node *node, u32 *from, u32 n, bool in2out)
{
	u32 keep = 0, n_away = 0, away[LIG_FRAME_SIZE];
	u8 owner[LIG_FRAME_SIZE];

	for (u32 i = 0; i < n; i++) {
		u32 o = nat44_owner(lig_buffer_get(from[i]), in2out);
		if (o == lig_thread_index) {
			from[keep++] = from[i];
		} else {
			owner[n_away] = (u8)o;
			away[n_away++] = from[i];
		}
	}
	/* Grouped by destination: one enqueue per thread. */
	for (u32 i = 0; i < n_away; i++) {
		u32 o = owner[i], group[LIG_FRAME_SIZE], g = 0;
		if (o == 0xff)
			continue;
		for (u32 k = i; k < n_away; k++) {
			if (owner[k] == o) {
				group[g++] = away[k];
				owner[k] = 0xff;
			}
		}
		lig_handoff_enqueue(o, node->index, group, g);
	}
	return keep;
}

/* Prefetches the hash slot a TCP/UDP packet's lookup starts at, or (session) the session
 * that slot names: the table is far larger than the caches. */
static inline void
nat44_prefetch(const struct lig_nat44_thread *t, struct lig_buffer *b, bool session)
{
	const struct lig_ip4_header *ip = (const void *)lig_buffer_data(b);
	u32 ihl = (ip->ver_ihl & 0xf) * 4u;

	if ((ip->proto != LIG_IP_PROTO_TCP && ip->proto != LIG_IP_PROTO_UDP) ||
	    b->current_length < ihl + 4)
		return;
	const u8 *l4 = (const u8 *)ip + ihl;
	u32 h = lig_nat44_hash(ip->src, ip->dst, ntohs(ld16(l4)), ntohs(ld16(l4 + 2)), ip->proto);
	const struct lig_nat44_slot *sl = &t->slots[h & t->mask];
	if (!session) {
		lig_prefetch_load(sl);
		return;
	}
	/* Stage two (the slot is in cache by now): the session it names. */
	if (sl->value != LIG_INVALID_INDEX)
		lig_prefetch_load(&t->sessions[sl->value >> 1]);
}

static inline u32
nat44_node_inline(struct lig_node *node, struct lig_frame *frame, bool in2out)
{
	struct lig_nat44_thread *t = lig_nat44_thread_get();
	u32 *from = frame->buffers, n = frame->n_vectors, n_in = n;
	u32 feature = (u32)(in2out ? lig_nat44_main.feature_in2out : lig_nat44_main.feature_out2in);
	u16 nexts[LIG_FRAME_SIZE];
	u64 now = lig_time_now_ns();

	if (t)
		lig_nat44_expire(t, now, 16);
	if (t && lig_n_workers >= 2)
		n = nat44_handoff(node, from, n, in2out);
	for (u32 i = 0; i < n; i++) {
		if (i + 4 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 4]);
			lig_prefetch_load(pb);
			lig_prefetch_load(lig_buffer_data(pb));
		}
		if (t && i + 3 < n)
			nat44_prefetch(t, lig_buffer_get(from[i + 3]), false);
		if (t && i + 1 < n)
			nat44_prefetch(t, lig_buffer_get(from[i + 1]), true);
		struct lig_buffer *b = lig_buffer_get(from[i]);
		struct nat44_trace tr = {0};
		u32 err = 0;
		u16 next;
		if (lig_likely(t != NULL))
			next = nat44_one(node, t, b, in2out, feature, now, &err, &tr);
		else
			next = lig_ip4_feature_next(feature, b->sw_if_index[LIG_RX]);
		if (next == NAT44_NEXT_DROP)
			b->error = node->error_base + err;
		if (lig_buffer_is_traced(b)) {
			struct nat44_trace *rec = lig_trace_add_record(node, b, sizeof(*rec));
			if (rec)
				*rec = tr;
		}
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n_in;
}

static u32
nat44_in2out_fn(struct lig_node *node, struct lig_frame *frame)
{
	return nat44_node_inline(node, frame, true);
}

static u32
nat44_out2in_fn(struct lig_node *node, struct lig_frame *frame)
{
	return nat44_node_inline(node, frame, false);
}

LIG_REGISTER_NODE(lig_nat44_in2out_node) = {
    .name = "nat44-ed-in2out",
    .function = nat44_in2out_fn,
    .format_trace = nat44_format_trace,
    .n_errors = NAT44_N_ERROR,
    .error_strings = nat44_error_strings,
    .n_next_nodes = NAT44_N_NEXT,
    .next_nodes = {[NAT44_NEXT_DROP] = "error-drop"},
};

LIG_REGISTER_NODE(lig_nat44_out2in_node) = {
    .name = "nat44-ed-out2in",
    .function = nat44_out2in_fn,
    .format_trace = nat44_format_trace,
    .n_errors = NAT44_N_ERROR,
    .error_strings = nat44_error_strings,
    .n_next_nodes = NAT44_N_NEXT,
    .next_nodes = {[NAT44_NEXT_DROP] = "error-drop"},
};
