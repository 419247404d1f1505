/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the virtio-net header checks and TCP segmentation (src/gso): the
 * input is a mode byte, a 10-byte virtio-net header as a pod's kernel or a raw socket in
 * it would write it, then the frame. The frame is received as tap-input and
 * af-packet-input receive it (a buffer chain, the header applied); what is taken is
 * then sent as interface-output sends it: segmented (into room for all segments, or
 * for only a few when mode bit 1 says so) and checksums finished, or handed whole to a
 * GSO-capable egress's header. Properties: nothing crashes or reads out of bounds, a
 * refused header leaves the buffer unmarked, a request the receive checks took is always
 * segmentable, every segment's checksum offsets hold, segments are no longer than
 * headers + gso_size, and no buffer leaks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gso/gso.h"
#include "gso/vnet_hdr.h"

#define N_BUFFERS 4096
#define MAX_FRAME (64 * LIG_BUFFER_DEFAULT_DATA_SIZE)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct lig_vnet_hdr vh, tx;
	u32 out[LIG_GSO_MAX_SEGS];

	if (!ready) {
		if (lig_buffer_pool_init(N_BUFFERS) < 0)
			abort();
		ready = true;
	}
	if (size < 1 + sizeof(vh) + 1 || size - 1 - sizeof(vh) > MAX_FRAME)
		return 0;
	u8 mode = data[0];
	memcpy(&vh, data + 1, sizeof(vh));
	const u8 *frame = data + 1 + sizeof(vh);
	u32 len = (u32)(size - 1 - sizeof(vh)), n_free0 = lig_buffer_pool.n_free;
	u32 bi = lig_buffer_from_bytes(frame, len);
	if (bi == LIG_INVALID_INDEX)
		abort();
	struct lig_buffer *b = lig_buffer_get(bi);
	int rv = lig_vnet_hdr_to_buffer(&vh, b, len, b->current_length, mode & 1);
	if (rv != LIG_VNET_RX_OK) {
		if (b->flags & (LIG_BUFFER_GSO | LIG_BUFFER_CSUM_PARTIAL))
			abort(); /* a refused header leaves the buffer as it was */
		lig_buffer_free_one(bi);
	} else if (b->flags & LIG_BUFFER_GSO) {
		lig_vnet_hdr_from_buffer(&tx, b);
		if (!(tx.flags & LIG_VNET_HDR_F_NEEDS_CSUM) || le16toh(tx.hdr_len) > len)
			abort();
		u32 room = (mode & 2) ? 4 : LIG_ARRAY_LEN(out), hdr = le16toh(tx.hdr_len);
		int n = lig_gso_segment(bi, out, room);
		if (n == -EINVAL || n == -ENOMEM || n == 0)
			abort(); /* taken at rx, the pool is large enough: must segment */
		if (n < 0) {
			lig_buffer_free_one(bi);
		} else {
			for (int k = 0; k < n; k++) {
				struct lig_buffer *s = lig_buffer_get(out[k]);
				if (lig_buffer_length_in_chain(s) > hdr + le16toh(tx.gso_size) ||
				    lig_buffer_csum_finish(s) < 0)
					abort();
			}
			lig_buffer_free(out, (u32)n);
		}
	} else {
		/* A field past the head buffer is refused here (interface-output counts it). */
		lig_vnet_hdr_from_buffer(&tx, b);
		lig_buffer_csum_finish(b);
		lig_buffer_free_one(bi);
	}
	if (lig_buffer_pool.n_free != n_free0)
		abort();
	return 0;
}
