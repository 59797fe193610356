#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Compare v6share summaries (JSON Lines) with v6gen truth (JSON Lines).

usage: check.py TRUTH SUMMARIES [--sum]
       check.py --self SUMMARIES
  default: one summary per truth line, same order, same interval start
  --sum:   add all truth lines and all summaries, compare the totals
  --self:  no truth (traffic of unknown amount): each summary on its own
Also checks every summary on its own: schema fields, seq continuity,
total = ipv4 + ipv6 + other + malformed, shares computed from the counts.
"""
import json
import sys
from datetime import datetime, timezone

FIELDS = ["total", "ipv4", "ipv6", "ipv6_tunneled", "other", "malformed", "encap"]
OPTIONAL = ["asns", "prefixes"]
import os
# The documented schema is the list of what every summary must hold.
SCHEMA = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "../../conf/v6share.summary.v1.schema.json")))
REQUIRED = SCHEMA["required"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_lines(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def add(a, b):
    if isinstance(a, list):         # asns / prefixes: by key; the top-N cut differs per interval
        if not a or not b:
            return a or b
        key = next(k for k in ("asn", "prefix", "port", "queue", "name") if k in a[0])
        out = {e[key]: e for e in a}
        for e in b:
            if e[key] in out:
                out[e[key]] = dict(add(out[e[key]], e), **{key: e[key]})   # the key is not a count
            else:
                out[e[key]] = e
        return list(out.values())
    if isinstance(a, str) or a is None or b is None:
        return a
    if isinstance(a, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = add(out[k], v) if k in out else v
        return out
    return a + b


def check_self(s, prev_seq):
    for k in REQUIRED:
        if k not in s:
            fail("summary seq %s lacks %s" % (s.get("seq"), k))
    for k, p in SCHEMA["properties"].items():
        ref = p.get("$ref", "").split("/")[-1]
        sub = SCHEMA["$defs"][ref]["required"] if ref else p.get("required", [])
        for r in sub:
            if r not in s[k]:
                fail("summary seq %s: %s lacks %s" % (s["seq"], k, r))
    if s["schema"] != "v6share.summary.v1":
        fail("schema %r" % s["schema"])
    if prev_seq is not None and s["seq"] != prev_seq + 1:
        fail("seq %d follows %d" % (s["seq"], prev_seq))
    for unit in ("packets", "bytes"):
        parts = sum(s[k][unit] for k in ("ipv4", "ipv6", "other", "malformed"))
        if parts != s["total"][unit]:
            fail("seq %d: total %s %d != parts %d" % (s["seq"], unit, s["total"][unit], parts))
    if sum(s["malformed"]["reasons"].values()) != s["malformed"]["packets"]:
        fail("seq %d: malformed reasons do not add up" % s["seq"])
    if sum(s["other"]["reasons"].values()) != s["other"]["packets"]:
        fail("seq %d: other reasons do not add up" % s["seq"])
    for unit in ("packets", "bytes", "ip_bytes"):
        ip = s["ipv4"][unit] + s["ipv6"][unit]
        want = None if ip == 0 else s["ipv6"][unit] / ip
        got = s["ipv6_share"][unit]
        if (want is None) != (got is None) or (want is not None and abs(want - got) > 1e-9):
            fail("seq %d: ipv6_share.%s %r, counts say %r" % (s["seq"], unit, got, want))
    for k in ("start", "end"):
        datetime.strptime(s[k].split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S")
    if "asns" in s:
        # the listed entries, others included, add up to the IP totals
        if s["asns"][-1]["asn"] != "others":
            fail("seq %d: asns does not end with others" % s["seq"])
        for d in ("src", "dst"):
            for fam in ("ipv4", "ipv6"):
                for unit in ("packets", "bytes", "ip_bytes"):
                    got = sum(e[d][fam][unit] for e in s["asns"])
                    if got != s[fam][unit]:
                        fail("seq %d: asns %s.%s.%s add to %d, %s has %d" %
                             (s["seq"], d, fam, unit, got, fam, s[fam][unit]))
        tops = [e for e in s["asns"] if e["asn"] != "others"]
        key = lambda e: sum(e[d][f]["bytes"] for d in ("src", "dst") for f in ("ipv4", "ipv6"))
        if any(key(a) < key(b) for a, b in zip(tops, tops[1:])):
            fail("seq %d: asns not sorted by bytes" % s["seq"])
    return s["seq"]


def compare(t, s, what):
    for k in OPTIONAL:
        if (k in t) != (k in s):
            fail("%s: %s in %s only" % (what, k, "truth" if k in t else "summary"))
    for k in FIELDS + [k for k in OPTIONAL if k in t]:
        if t[k] != s[k]:
            fail("%s: %s differs\n  truth:   %s\n  summary: %s" % (what, k, json.dumps(t[k]), json.dumps(s[k])))


def main():
    if sys.argv[1] == "--self":
        summ, prev = read_lines(sys.argv[2]), None
        for s in summ:
            prev = check_self(s, prev)
        if not summ:
            fail("no summaries")
        print("ok: %d summaries, each consistent on its own (%d packets)" %
              (len(summ), sum(x["total"]["packets"] for x in summ)))
        return
    truth, summ = read_lines(sys.argv[1]), read_lines(sys.argv[2])
    mode_sum = "--sum" in sys.argv[3:]
    prev = None
    for s in summ:
        prev = check_self(s, prev)
    if not summ:
        fail("no summaries")
    if mode_sum:
        t = truth[0]
        for x in truth[1:]:
            t = add(t, x)
        s = summ[0]
        for x in summ[1:]:
            s = add(s, x)
        compare(t, s, "sum")
    else:
        if len(truth) != len(summ):
            fail("%d truth lines, %d summaries" % (len(truth), len(summ)))
        for i, (t, s) in enumerate(zip(truth, summ)):
            if t["interval"]:
                start = datetime.fromtimestamp(t["start"], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                if s["start"] != start:
                    fail("interval %d starts %s, truth %s" % (i, s["start"], start))
            compare(t, s, "interval %d" % i)
    print("ok: %d summaries match %d truth lines (%d packets)" %
          (len(summ), len(truth), sum(x["total"]["packets"] for x in summ)))


main()
