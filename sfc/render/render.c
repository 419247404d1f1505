/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: sfc_render(): nodes then services in name order, each rendered into its own
 * pending list (a transaction: an object that fails renders nothing and gives back what it
 * allocated), checked with lig-agent's own models, then merged into the desired set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- system parameters (sfc-controller's sysparms.go defaults) ---- */

uint32_t
sys_mtu(const struct rctx *c, uint32_t mtu)
{
	if (mtu)
		return mtu;
	return c->m->sys.mtu ? c->m->sys.mtu : 1500;
}

const char *
sys_memif_dir(const struct rctx *c, const struct sfc_interface *ifc)
{
	if (ifc && ifc->has_memif_parms && !str_empty(ifc->memif_parms.memif_directory))
		return ifc->memif_parms.memif_directory;
	return !str_empty(c->m->sys.memif_directory) ? c->m->sys.memif_directory : "/tmp";
}

enum sfc_rx_mode
sys_rx_mode(const struct rctx *c, enum sfc_rx_mode m)
{
	return m != SFC_RX_UNSET ? m : c->m->sys.rx_mode;
}

uint32_t
sys_route_weight(const struct rctx *c)
{
	return c->m->sys.default_static_route_weight ? c->m->sys.default_static_route_weight : 5;
}

static const struct sfc_bd_parms default_bd = {
    .flood = true, .unknown_unicast_flood = true, .forward = true, .learn = true};

const struct sfc_bd_parms *
bd_parms_of(struct rctx *c, const struct sfc_l2bd *l2bd)
{
	if (!l2bd)
		return &default_bd;
	if (!str_empty(l2bd->l2bd_template)) {
		for (size_t i = 0; i < c->m->sys.n_l2bd_templates; i++)
			if (!str_cmp(c->m->sys.l2bd_templates[i].name, l2bd->l2bd_template))
				return &c->m->sys.l2bd_templates[i];
		rerr(c, "l2bd %s: l2bd_template %s does not exist", l2bd->name ? l2bd->name : "",
		     l2bd->l2bd_template);
		return NULL;
	}
	return l2bd->has_bd_parms ? &l2bd->bd_parms : &default_bd;
}

const char *
if_type_name(enum sfc_if_type t)
{
	static const char *const n[] = {"(none)", "ethernet", "loopback", "vxlan_tunnel",
					"memif",  "veth",     "tap"};
	return (unsigned)t < sizeof(n) / sizeof(n[0]) ? n[t] : "(unknown)";
}

/* ---- messages and pending values ---- */

static void
vmsg(struct rctx *c, char ***v, size_t *n, const char *fmt, va_list ap)
{
	char buf[1024];
	int k = 0;
	if (c->conn_no)
		k = snprintf(buf, sizeof(buf), "connections[%u]: ", c->conn_no - 1);
	vsnprintf(buf + k, sizeof(buf) - (size_t)k, fmt, ap);
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv || !(nv[*n] = strdup(buf))) {
		if (nv)
			*v = nv;
		c->oom = true;
		return;
	}
	*v = nv;
	(*n)++;
}

int
rerr(struct rctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, &c->msg, &c->n_msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
rwarn(struct rctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, &c->warn, &c->n_warn, fmt, ap);
	va_end(ap);
}

static struct pend *
pend_new(struct rctx *c, const char *label, enum lig_model_id model)
{
	if (str_empty(label)) {
		rerr(c, "a value for an agent without a label");
		return NULL;
	}
	if (c->n_p == c->cap_p) {
		size_t cap = c->cap_p ? c->cap_p * 2 : 32;
		struct pend *p = realloc(c->p, cap * sizeof(*p));
		if (!p) {
			c->oom = true;
			return NULL;
		}
		c->p = p;
		c->cap_p = cap;
	}
	struct pend *p = &c->p[c->n_p];
	memset(p, 0, sizeof(*p));
	p->model = model;
	p->conn = c->conn_no;
	if (!(p->label = strdup(label))) {
		c->oom = true;
		return NULL;
	}
	c->n_p++;
	return p;
}

int
emit(struct rctx *c, const char *label, enum lig_model_id model, char *json)
{
	if (!json) {
		c->oom = true;
		return -1;
	}
	struct pend *p = pend_new(c, label, model);
	if (!p) {
		free(json);
		return -1;
	}
	p->json = json;
	return 0;
}

void
pbd_free(struct pbd *bd)
{
	if (!bd)
		return;
	for (size_t i = 0; i < bd->n_ifs; i++)
		free(bd->ifs[i].name);
	free(bd->ifs);
	free(bd->name);
	free(bd);
}

struct pbd *
emit_bd(struct rctx *c, const char *label, const char *name, const struct sfc_bd_parms *parms)
{
	struct pbd *bd = calloc(1, sizeof(*bd));
	if (!bd || !(bd->name = strdup(name))) {
		free(bd);
		c->oom = true;
		return NULL;
	}
	bd->flood = parms->flood;
	bd->uu_flood = parms->unknown_unicast_flood;
	bd->forward = parms->forward;
	bd->learn = parms->learn;
	bd->arp_term = parms->arp_termination;
	bd->mac_age = parms->mac_age_minutes;
	struct pend *p = pend_new(c, label, LIG_MODEL_VPP_BRIDGE_DOMAIN);
	if (!p) {
		pbd_free(bd);
		return NULL;
	}
	p->bd = bd;
	return bd;
}

int
bd_member(struct rctx *c, struct pbd *bd, const char *ifname, bool bvi, uint32_t shg)
{
	for (size_t i = 0; i < bd->n_ifs; i++)
		if (!strcmp(bd->ifs[i].name, ifname))
			return 0; /* already a member (first settings win) */
	if (bd->n_ifs == bd->cap_ifs) {
		size_t cap = bd->cap_ifs ? bd->cap_ifs * 2 : 8;
		struct pbd_if *v = realloc(bd->ifs, cap * sizeof(*v));
		if (!v) {
			c->oom = true;
			return -1;
		}
		bd->ifs = v;
		bd->cap_ifs = cap;
	}
	struct pbd_if *m = &bd->ifs[bd->n_ifs];
	if (!(m->name = strdup(ifname))) {
		c->oom = true;
		return -1;
	}
	m->bvi = bvi;
	m->shg = shg;
	bd->n_ifs++;
	return 0;
}

static bool
bd_same_parms(const struct pbd *a, const struct pbd *b)
{
	return a->flood == b->flood && a->uu_flood == b->uu_flood && a->forward == b->forward &&
	       a->learn == b->learn && a->arp_term == b->arp_term && a->mac_age == b->mac_age;
}

static int
if_cmp(const void *x, const void *y)
{
	return strcmp(((const struct pbd_if *)x)->name, ((const struct pbd_if *)y)->name);
}

static char *
bd_json(struct pbd *bd)
{
	struct sb b = {0};
	struct jo o, m;
	if (bd->n_ifs)
		qsort(bd->ifs, bd->n_ifs, sizeof(*bd->ifs), if_cmp);
	jo_open(&o, &b);
	jo_str(&o, "name", bd->name);
	jo_bool(&o, "flood", bd->flood);
	jo_bool(&o, "unknown_unicast_flood", bd->uu_flood);
	jo_bool(&o, "forward", bd->forward);
	jo_bool(&o, "learn", bd->learn);
	jo_bool(&o, "arp_termination", bd->arp_term);
	jo_u32(&o, "mac_age", bd->mac_age);
	if (bd->n_ifs) {
		jo_key(&o, "interfaces");
		sb_puts(&b, "[");
		for (size_t i = 0; i < bd->n_ifs; i++) {
			if (i)
				sb_puts(&b, ",");
			jo_open(&m, &b);
			jo_str(&m, "name", bd->ifs[i].name);
			jo_bool(&m, "bridged_virtual_interface", bd->ifs[i].bvi);
			jo_u32(&m, "split_horizon_group", bd->ifs[i].shg);
			jo_close(&m);
		}
		sb_puts(&b, "]");
	}
	jo_close(&o);
	return sb_take(&b);
}

/* ---- the desired set ---- */

struct gent {
	char *label;
	char *key;
	char *json;
	struct pbd *bd;
	char **owners;
	size_t n_owners;
};

struct gset {
	struct gent *e;
	size_t n, cap;
	struct smap idx;
	/* VXLAN tunnels in the set: "<label>|<src>|<dst>|<vni>" -> index of the interface's
	 * entry */
	struct smap vx;
};

static void
gset_free(struct gset *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->e[i].label);
		free(g->e[i].key);
		free(g->e[i].json);
		pbd_free(g->e[i].bd);
		for (size_t j = 0; j < g->e[i].n_owners; j++)
			free(g->e[i].owners[j]);
		free(g->e[i].owners);
	}
	free(g->e);
	smap_free(&g->idx);
	smap_free(&g->vx);
}

/* Checks a value with lig-agent's model and builds its key. 0, or -1 with an error. */
static int
check_value(struct rctx *c, struct pend *p, const char *json)
{
	const struct lig_model *m = lig_model_get(p->model);
	struct lig_model_error err = {0};
	char key[LIG_MODEL_KEY_MAX];
	void *v = lig_model_value_new(m);
	int rc = -1;
	if (!v) {
		c->oom = true;
		return -1;
	}
	int rc_check = m->decode(json, strlen(json), v, &err);
	if (rc_check == 0 && p->model == LIG_MODEL_VPP_INTERFACE &&
	    ((struct lig_vpp_interface *)v)->link_case == LIG_VPP_IF_LINK_TAP) {
		/* as lig-agent's interface descriptor: tap.to_microservice is its named network
		 * namespace, which the models' support check (that refuses it) does not see */
		struct lig_vpp_interface *i = v;
		char *ms = i->link.tap.to_microservice;
		rc_check = m->validate(v, &err);
		i->link.tap.to_microservice = NULL;
		if (rc_check == 0)
			rc_check = m->check_supported(v, &err);
		i->link.tap.to_microservice = ms;
	} else if (rc_check == 0) {
		rc_check = lig_model_check(m, v, &err);
	}
	if (rc_check < 0) {
		rerr(c, "agent %s: %s value %s: lig-agent refuses it: %s", p->label, m->name, json,
		     err.text);
		goto out;
	}
	int n = lig_model_key_build(m, v, p->label, key, sizeof(key));
	if (n < 0) {
		rerr(c, "agent %s: %s value %s: no key (label or name unusable)", p->label, m->name,
		     json);
		goto out;
	}
	if (!(p->key = strdup(key))) {
		c->oom = true;
		goto out;
	}
	rc = 0;
out:
	lig_model_value_delete(m, v);
	return rc;
}

static void
obj_reset(struct rctx *c)
{
	for (size_t i = 0; i < c->n_p; i++) {
		free(c->p[i].label);
		free(c->p[i].json);
		free(c->p[i].key);
		pbd_free(c->p[i].bd);
	}
	c->n_p = 0;
	for (size_t i = 0; i < c->n_msg; i++)
		free(c->msg[i]);
	for (size_t i = 0; i < c->n_warn; i++)
		free(c->warn[i]);
	for (size_t i = 0; i < c->n_vx; i++) {
		free(c->vx_key[i]);
		free(c->vx_name[i]);
	}
	free(c->vx_key);
	free(c->vx_name);
	c->vx_key = c->vx_name = NULL;
	c->n_vx = 0;
	free(c->msg);
	free(c->warn);
	c->msg = c->warn = NULL;
	c->n_msg = c->n_warn = 0;
	c->conn_no = 0;
	c->conn = NULL;
	c->svc = NULL;
	c->node = NULL;
}

static int
owner_add(struct gent *g, const char *owner)
{
	for (size_t i = 0; i < g->n_owners; i++)
		if (!strcmp(g->owners[i], owner))
			return 0;
	char **v = realloc(g->owners, (g->n_owners + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	g->owners = v;
	if (!(v[g->n_owners] = strdup(owner)))
		return -ENOMEM;
	g->n_owners++;
	return 0;
}

/* Does the key end in "/<name>"? */
static bool
key_names(const char *key, const char *name)
{
	size_t k = strlen(key), n = strlen(name);
	return k > n && key[k - n - 1] == '/' && !strcmp(key + k - n, name);
}

/* Finalises the current object's values: checked, keyed, de-duplicated, tested against the
 * desired set for conflicts, then merged. Returns the number of keys, or -1 (object down). */
static long
obj_commit(struct rctx *c, struct gset *g)
{
	struct smap local = {0};
	long keys = -1;
	size_t *keep = NULL, n_keep = 0;
	if (c->n_msg)
		goto out;
	for (size_t i = 0; i < c->n_p; i++) {
		struct pend *p = &c->p[i];
		if (p->bd) {
			/* the domain alone (name and flags) here; with its members merged from
			 * every owner once all are rendered (sfc_render) */
			struct pbd_if *ifs = p->bd->ifs;
			size_t n = p->bd->n_ifs;
			p->bd->ifs = NULL;
			p->bd->n_ifs = 0;
			char *alone = bd_json(p->bd);
			p->bd->ifs = ifs;
			p->bd->n_ifs = n;
			if (!alone)
				c->oom = true;
			else
				check_value(c, p, alone);
			free(alone);
		} else {
			check_value(c, p, p->json);
		}
		if (c->oom)
			goto out;
	}
	if (c->n_msg)
		goto out;
	keep = calloc(c->n_p ? c->n_p : 1, sizeof(*keep));
	if (!keep) {
		c->oom = true;
		goto out;
	}
	/* within the object: the same key twice */
	for (size_t i = 0; i < c->n_p; i++) {
		struct pend *p = &c->p[i];
		size_t j;
		if (!smap_get(&local, p->key, &j)) {
			if (smap_put(&local, p->key, n_keep) < 0) {
				c->oom = true;
				goto out;
			}
			keep[n_keep++] = i;
			continue;
		}
		struct pend *q = &c->p[keep[j]];
		if (p->bd && q->bd && bd_same_parms(p->bd, q->bd)) {
			for (size_t k = 0; k < p->bd->n_ifs; k++)
				if (bd_member(c, q->bd, p->bd->ifs[k].name, p->bd->ifs[k].bvi,
					      p->bd->ifs[k].shg) < 0)
					goto out;
			continue;
		}
		if (p->json && q->json && !strcmp(p->json, q->json))
			continue;
		/* sfc-controller keeps the later one (its rendered entries are a map) */
		rwarn(c, "connections[%u] replaces %s rendered by connections[%u]",
		      p->conn ? p->conn - 1 : 0, p->key, q->conn ? q->conn - 1 : 0);
		keep[j] = i;
	}
	/* VXLAN tunnels: one per endpoints and VNI on a node (ligd holds no second) */
	for (size_t i = 0; i < c->n_vx; i++) {
		size_t j, gi;
		for (j = 0; j < i; j++)
			if (!strcmp(c->vx_key[j], c->vx_key[i]) &&
			    strcmp(c->vx_name[j], c->vx_name[i]))
				break;
		if (j < i) {
			rerr(c, "VXLAN tunnels %s and %s have the same endpoints and VNI (%s)",
			     c->vx_name[j], c->vx_name[i], c->vx_key[i]);
			continue;
		}
		if (smap_get(&g->vx, c->vx_key[i], &gi) && !key_names(g->e[gi].key, c->vx_name[i]))
			rerr(c,
			     "VXLAN tunnel %s: the same endpoints and VNI (%s) are %s of %s (a "
			     "hub_and_spoke overlay has one VNI for all its services)",
			     c->vx_name[i], c->vx_key[i], g->e[gi].key, g->e[gi].owners[0]);
	}
	if (c->n_msg)
		goto out;
	/* against the desired set */
	for (size_t k = 0; k < n_keep; k++) {
		struct pend *p = &c->p[keep[k]];
		size_t gi;
		if (!smap_get(&g->idx, p->key, &gi))
			continue;
		struct gent *e = &g->e[gi];
		bool same = (p->bd && e->bd && bd_same_parms(p->bd, e->bd)) ||
			    (p->json && e->json && !strcmp(p->json, e->json));
		if (!same)
			rerr(c, "%s: %s renders it differently", p->key, e->owners[0]);
	}
	if (c->n_msg)
		goto out;
	for (size_t k = 0; k < n_keep; k++) {
		struct pend *p = &c->p[keep[k]];
		size_t gi;
		if (smap_get(&g->idx, p->key, &gi)) {
			struct gent *e = &g->e[gi];
			if (owner_add(e, c->owner) < 0) {
				c->oom = true;
				goto out;
			}
			for (size_t m = 0; p->bd && m < p->bd->n_ifs; m++)
				if (bd_member(c, e->bd, p->bd->ifs[m].name, p->bd->ifs[m].bvi,
					      p->bd->ifs[m].shg) < 0)
					goto out;
			continue;
		}
		if (g->n == g->cap) {
			size_t cap = g->cap ? g->cap * 2 : 256;
			struct gent *v = realloc(g->e, cap * sizeof(*v));
			if (!v) {
				c->oom = true;
				goto out;
			}
			g->e = v;
			g->cap = cap;
		}
		struct gent *e = &g->e[g->n];
		memset(e, 0, sizeof(*e));
		e->label = p->label;
		e->key = p->key;
		e->json = p->json;
		e->bd = p->bd;
		p->label = p->key = p->json = NULL;
		p->bd = NULL;
		g->n++;
		if (owner_add(e, c->owner) < 0 || smap_put(&g->idx, e->key, g->n - 1) < 0) {
			c->oom = true;
			goto out;
		}
	}
	for (size_t i = 0; i < c->n_vx; i++) {
		char key[LIG_MODEL_KEY_MAX];
		size_t gi;
		const char *bar = strchr(c->vx_key[i], '|');
		snprintf(key, sizeof(key), "%s%.*s/%s%s", LIG_MODEL_KEY_ROOT,
			 (int)(bar ? bar - c->vx_key[i] : 0), c->vx_key[i],
			 lig_model_get(LIG_MODEL_VPP_INTERFACE)->key_prefix, c->vx_name[i]);
		if (!smap_get(&g->vx, c->vx_key[i], NULL) && smap_get(&g->idx, key, &gi) &&
		    smap_put(&g->vx, c->vx_key[i], gi) < 0) {
			c->oom = true;
			goto out;
		}
	}
	keys = (long)n_keep;
out:
	free(keep);
	smap_free(&local);
	return keys;
}

static int
status_add(struct rctx *c, struct sfc_render_out *out, enum sfc_obj_type t, const char *name,
	   long keys)
{
	struct sfc_robj_status *v =
	    realloc(out->status, (out->n_status + 1) * sizeof(*out->status));
	if (!v)
		return -ENOMEM;
	out->status = v;
	struct sfc_robj_status *s = &v[out->n_status];
	memset(s, 0, sizeof(*s));
	out->n_status++;
	s->type = t;
	if (!(s->name = strdup(name ? name : "")))
		return -ENOMEM;
	if (keys >= 0) {
		s->oper = SFC_OPER_UP;
		s->n_keys = (size_t)keys;
		s->msg = calloc(1 + c->n_warn, sizeof(*s->msg));
		if (!s->msg || !(s->msg[0] = strdup("OK")))
			return -ENOMEM;
		s->n_msg = 1;
		for (size_t i = 0; i < c->n_warn; i++) {
			s->msg[s->n_msg] = c->warn[i];
			c->warn[i] = NULL;
			s->n_msg++;
		}
	} else {
		s->oper = SFC_OPER_DOWN;
		s->msg = c->msg;
		s->n_msg = c->n_msg;
		c->msg = NULL;
		c->n_msg = 0;
	}
	return 0;
}

static int
node_ptr_cmp(const void *x, const void *y)
{
	return str_cmp((*(const struct sfc_node *const *)x)->meta.name,
		       (*(const struct sfc_node *const *)y)->meta.name);
}

static int
svc_ptr_cmp(const void *x, const void *y)
{
	return str_cmp((*(const struct sfc_service *const *)x)->meta.name,
		       (*(const struct sfc_service *const *)y)->meta.name);
}

static int
u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static int
str_ptr_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int
gent_cmp(const void *x, const void *y)
{
	return strcmp(((const struct gent *)x)->key, ((const struct gent *)y)->key);
}

static int
collect_static_ips(struct rctx *c)
{
	size_t n = 0, cap = 0;
	uint32_t *v = NULL;
	const struct sfc_model *m = c->m;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t a = 0; a < m->n_nodes + m->n_services; a++) {
			size_t n_groups = a < m->n_nodes ? 1 : m->services[a - m->n_nodes].n_pods;
			for (size_t gi = 0; gi < n_groups; gi++) {
				const struct sfc_interface *iv;
				size_t ni;
				if (a < m->n_nodes) {
					iv = m->nodes[a].interfaces;
					ni = m->nodes[a].n_interfaces;
				} else {
					iv = m->services[a - m->n_nodes].pods[gi].interfaces;
					ni = m->services[a - m->n_nodes].pods[gi].n_interfaces;
				}
				for (size_t i = 0; i < ni; i++) {
					for (size_t j = 0; j < iv[i].n_ip_addresses; j++) {
						uint32_t addr;
						if (ip4_parse_any(iv[i].ip_addresses[j], &addr,
								  NULL) < 0)
							continue;
						if (pass == 1)
							v[n] = addr;
						n++;
					}
				}
			}
		}
		if (pass == 0) {
			cap = n;
			n = 0;
			v = calloc(cap ? cap : 1, sizeof(*v));
			if (!v)
				return -ENOMEM;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), u32_cmp);
	c->static_ips = v;
	c->n_static_ips = n;
	return 0;
}

void
sfc_render_out_free(struct sfc_render_out *out)
{
	if (!out)
		return;
	for (size_t i = 0; i < out->n_kv; i++) {
		free(out->kv[i].label);
		free(out->kv[i].key);
		free(out->kv[i].value);
		for (size_t j = 0; j < out->kv[i].n_owners; j++)
			free(out->kv[i].owners[j]);
		free(out->kv[i].owners);
	}
	free(out->kv);
	for (size_t i = 0; i < out->n_status; i++) {
		free(out->status[i].name);
		for (size_t j = 0; j < out->status[i].n_msg; j++)
			free(out->status[i].msg[j]);
		free(out->status[i].msg);
	}
	free(out->status);
	memset(out, 0, sizeof(*out));
}

static int
render_service(struct rctx *c, const struct sfc_service *s)
{
	c->svc = s;
	if (!s->n_connections)
		return 0;
	for (size_t i = 0; i < s->n_connections && !c->oom; i++) {
		const struct sfc_connection *conn = &s->connections[i];
		c->conn = conn;
		c->conn_no = (uint32_t)i + 1;
		if (!str_empty(conn->name))
			snprintf(c->conn_id, sizeof(c->conn_id), "%s", conn->name);
		else
			snprintf(c->conn_id, sizeof(c->conn_id), "#%zu", i + 1);
		switch (conn->conn_type) {
		case SFC_CONN_L2PP:
			render_l2pp(c);
			break;
		case SFC_CONN_L2MP:
			render_l2mp(c);
			break;
		case SFC_CONN_L3PP:
			render_l3pp(c);
			break;
		case SFC_CONN_L3MP:
			render_l3mp(c);
			break;
		default:
			rerr(c, "conn_type missing or unknown");
		}
	}
	c->conn = NULL;
	c->conn_no = 0;
	return 0;
}

int
sfc_render(const struct sfc_model *m, struct sfc_alloc *alloc, struct sfc_render_out *out)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!m || !alloc)
		return -EINVAL;
	struct rctx c = {.m = m, .a = alloc};
	struct gset g = {0};
	struct smap existing = {0}, ok = {0};
	const struct sfc_service **svcs = NULL;
	int rc = -ENOMEM;
	c.nodes = calloc(m->n_nodes ? m->n_nodes : 1, sizeof(*c.nodes));
	svcs = calloc(m->n_services ? m->n_services : 1, sizeof(*svcs));
	if (!c.nodes || !svcs || collect_static_ips(&c) < 0)
		goto out;
	for (size_t i = m->n_pod_to_node; i-- > 0;)
		if (m->pod_to_node[i].pod && smap_put(&c.pod2node, m->pod_to_node[i].pod, i) < 0)
			goto out;
	for (size_t i = 0; i < m->n_nodes; i++)
		c.nodes[i] = &m->nodes[i];
	c.n_nodes = m->n_nodes;
	if (c.n_nodes)
		qsort(c.nodes, c.n_nodes, sizeof(*c.nodes), node_ptr_cmp);
	for (size_t i = 0; i < m->n_services; i++)
		svcs[i] = &m->services[i];
	if (m->n_services)
		qsort(svcs, m->n_services, sizeof(*svcs), svc_ptr_cmp);
	alloc_begin(alloc);
	for (size_t i = 0; i < m->n_nodes + m->n_services; i++) {
		bool is_node = i < m->n_nodes;
		const char *name =
		    is_node ? c.nodes[i]->meta.name : svcs[i - m->n_nodes]->meta.name;
		snprintf(c.owner, sizeof(c.owner), "%s/%s",
			 is_node ? "network-node" : "network-service", name ? name : "");
		if (smap_put(&existing, c.owner, 1) < 0)
			goto out;
		/* a second object of the same name (an unvalidated model) is down */
		bool dup =
		    i > 0 &&
		    !str_cmp(name, is_node ? c.nodes[i - 1]->meta.name
					   : (i > m->n_nodes ? svcs[i - m->n_nodes - 1]->meta.name
							     : NULL));
		struct alloc_mark mk;
		alloc_mark(alloc, &mk);
		if (str_empty(name))
			rerr(&c, "no name");
		else if (dup)
			rerr(&c, "a second %s named %s", is_node ? "node" : "service", name);
		else if (is_node)
			render_node(&c, c.nodes[i]);
		else
			render_service(&c, svcs[i - m->n_nodes]);
		if (c.oom)
			goto out;
		long keys = obj_commit(&c, &g);
		if (c.oom)
			goto out;
		if (keys < 0) {
			if (alloc_rollback(alloc, &mk) < 0)
				goto out;
		} else if (smap_put(&ok, c.owner, 1) < 0) {
			goto out;
		}
		if (status_add(&c, out, is_node ? SFC_OBJ_NODE : SFC_OBJ_SERVICE, name, keys) < 0)
			goto out;
		obj_reset(&c);
	}
	/* bridge domains: members merged from every owner, now checked as a whole */
	for (size_t i = 0; i < g.n; i++) {
		if (!g.e[i].bd)
			continue;
		if (!(g.e[i].json = bd_json(g.e[i].bd)))
			goto out;
		struct pend p = {.label = g.e[i].label, .model = LIG_MODEL_VPP_BRIDGE_DOMAIN};
		if (check_value(&c, &p, g.e[i].json) < 0 && c.oom)
			goto out;
		free(p.key);
		for (size_t j = 0; j < c.n_msg; j++) {
			/* cannot happen with what the renderers add (no BVI, groups 0/1); kept
			 * visible rather than dropped */
			for (size_t s = 0; s < out->n_status; s++) {
				struct sfc_robj_status *st = &out->status[s];
				char own[SFC_NAME_MAX * 2 + 32];
				snprintf(own, sizeof(own), "%s/%s",
					 st->type == SFC_OBJ_NODE ? "network-node"
								  : "network-service",
					 st->name);
				for (size_t o = 0; o < g.e[i].n_owners; o++) {
					if (strcmp(own, g.e[i].owners[o]))
						continue;
					char **v = realloc(st->msg, (st->n_msg + 1) * sizeof(*v));
					if (!v)
						goto out;
					st->msg = v;
					if (!(v[st->n_msg] = strdup(c.msg[j])))
						goto out;
					st->n_msg++;
				}
			}
		}
		obj_reset(&c);
	}
	if (g.n)
		qsort(g.e, g.n, sizeof(*g.e), gent_cmp);
	out->kv = calloc(g.n ? g.n : 1, sizeof(*out->kv));
	if (!out->kv)
		goto out;
	for (size_t i = 0; i < g.n; i++) {
		struct sfc_rkv *kv = &out->kv[i];
		struct gent *e = &g.e[i];
		kv->label = e->label;
		kv->key = e->key;
		kv->value = e->json;
		kv->owners = e->owners;
		kv->n_owners = e->n_owners;
		if (kv->n_owners)
			qsort(kv->owners, kv->n_owners, sizeof(char *), str_ptr_cmp);
		e->label = e->key = e->json = NULL;
		e->owners = NULL;
		e->n_owners = 0;
		out->n_kv++;
	}
	alloc_end(alloc, &existing, &ok);
	rc = 0;
out:
	if (rc < 0)
		sfc_render_out_free(out);
	obj_reset(&c);
	free(c.p);
	free(c.nodes);
	free(c.static_ips);
	free(svcs);
	gset_free(&g);
	smap_free(&existing);
	smap_free(&ok);
	smap_free(&c.pod2node);
	return rc;
}

const struct sfc_rkv *
sfc_render_find(const struct sfc_render_out *out, const char *key)
{
	size_t lo = 0, hi = out ? out->n_kv : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(out->kv[mid].key, key);
		if (!r)
			return &out->kv[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct sfc_robj_status *
sfc_render_status(const struct sfc_render_out *out, enum sfc_obj_type type, const char *name)
{
	for (size_t i = 0; out && i < out->n_status; i++)
		if (out->status[i].type == type && !str_cmp(out->status[i].name, name))
			return &out->status[i];
	return NULL;
}

int
sfc_render_dump(const struct sfc_render_out *out, char **text, size_t *size)
{
	struct sb b = {0};
	for (size_t i = 0; i < out->n_kv; i++)
		sb_printf(&b, "%s %s\n", out->kv[i].key, out->kv[i].value);
	size_t n = b.n;
	char *p = sb_take(&b);
	if (!p)
		return -ENOMEM;
	*text = p;
	if (size)
		*size = n;
	return 0;
}
