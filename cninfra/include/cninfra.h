/* SPDX-License-Identifier: Apache-2.0 */
/* Umbrella header of libcninfra, the Ligature CNF platform library. */
#ifndef CNINFRA_H
#define CNINFRA_H

#include "cninfra/loop.h"
#include "cninfra/log.h"
#include "cninfra/config.h"
#include "cninfra/health.h"
#include "cninfra/metrics.h"
#include "cninfra/http.h"
#include "cninfra/kv.h"
#include "cninfra/agent.h"

#define CNINFRA_VERSION "0.1.0"

#endif
