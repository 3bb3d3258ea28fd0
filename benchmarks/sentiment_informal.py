"""Benchmark: the sentiment model on PRIMA's held-out informal posts, by phenomenon.

    .venv/bin/python benchmarks/sentiment_informal.py                  # the shipped model
    .venv/bin/python benchmarks/sentiment_informal.py --model DIR      # another artefact
    .venv/bin/python benchmarks/sentiment_informal.py --json benchmarks/results/x.json

The set (``prima/monitoring/nlp/sentiment/data/informal_heldout.tsv``, 334 posts) was
written by hand before any model output on it was looked at: informal and emotional
Indonesian as people post it about airports, immigration, queues, passports, brokers and
hoaxes, plus general daily life; each row is tagged with the phenomenon it illustrates
(complaints phrased as questions, rhetorical and genuine questions, sarcasm, debunked
claims, negated positives/negatives, emoji, slang …). It is never trained on nor used to
choose features, lexicon entries or settings: it only reports. Prints macro-F1 (with a
95 % bootstrap interval), the per-class figures and the accuracy per phenomenon.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")

BOOTSTRAP = 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="artefact directory (default: the shipped one)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--errors", action="store_true", help="list the misread posts")
    args = parser.parse_args()

    import django

    django.setup()
    from prima.monitoring.nlp.sentiment import load_model
    from prima.monitoring.nlp.sentiment.model import LABELS
    from prima.monitoring.nlp.sentiment.training import (
        INFORMAL_HELDOUT,
        evaluate,
        macro_f1,
        read_handwritten,
    )

    rows = read_handwritten(INFORMAL_HELDOUT, "informal-heldout")
    model = load_model(args.model)
    predicted = model.predict([e.text for e in rows], [e.lang for e in rows])
    result = evaluate(model, rows)
    gold = [LABELS.index(e.label) for e in rows]
    pred = [LABELS.index(p) for p in predicted]
    rng = random.Random(0)
    samples = []
    for _ in range(BOOTSTRAP):
        idx = [rng.randrange(len(rows)) for _ in rows]
        samples.append(macro_f1([gold[i] for i in idx], [pred[i] for i in idx]))
    samples.sort()
    low, high = samples[int(0.025 * BOOTSTRAP)], samples[int(0.975 * BOOTSTRAP) - 1]
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for e, p in zip(rows, predicted, strict=True):
        by_tag[e.tag].append(p == e.label)
    print(f"{len(rows)} held-out informal posts, model {model.meta.get('trained', '?')} "
          f"({args.model or 'shipped artefact'})")  # fmt: skip
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(rows)
    print(f"macro-F1 {result['macro_f1'] * 100:.2f} (95 % bootstrap {low * 100:.1f}–"
          f"{high * 100:.1f}); accuracy {accuracy * 100:.1f}")  # fmt: skip
    for lab in LABELS:
        c = result["per_class"][lab]
        print(f"  {lab:<9} P {c['precision'] * 100:5.1f}  R {c['recall'] * 100:5.1f}  "
              f"F1 {c['f1'] * 100:5.1f}  (n={c['support']})")  # fmt: skip
    print("accuracy by phenomenon:")
    tags = {}
    for tag, hits in sorted(by_tag.items()):
        tags[tag] = {"accuracy": round(sum(hits) / len(hits), 4), "n": len(hits)}
        print(f"  {tag:<20} {sum(hits):>3}/{len(hits):<3} {sum(hits) / len(hits) * 100:5.1f} %")
    if args.errors:
        for e, p in zip(rows, predicted, strict=True):
            if p != e.label:
                print(f"  [{e.tag}] {e.label} -> {p}: {e.text}")
    if args.json:
        result["macro_f1_bootstrap_95"] = [round(low, 4), round(high, 4)]
        result["by_phenomenon"] = tags
        result["model_trained"] = model.meta.get("trained")
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
