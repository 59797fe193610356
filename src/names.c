/* SPDX-License-Identifier: BSD-3-Clause
 * Names of classes, layers and reasons: the JSON keys and the docs. Kept
 * apart from the parser so tools that check the parser need not link it.
 */
#include "v6share/parse.h"

#define X(id, name) name,
const char *const v6s_encap_names[V6S_ENCAP_COUNT] = { V6S_ENCAPS(X) };
const char *const v6s_other_names[V6S_OTHER_COUNT] = { V6S_OTHER_REASONS(X) };
const char *const v6s_malformed_names[V6S_MALFORMED_COUNT] = { V6S_MALFORMED_REASONS(X) };
#undef X
const char *const v6s_class_names[V6S_CLASS_COUNT] = { "ipv4", "ipv6", "other", "malformed" };
