"""Dev-only evaluation: toxicity dev half (en), late (dev), dev5, and dev real-reply alarms."""
import csv, sys, json
from pathlib import Path
sys.path.insert(0, "bench")
import pandas as pd
from splits import carve
from moderation import Policy, check
D = Path("bench/data")
def flag(t): return check(t, policy=Policy(checks=["toxicity", "tone"], languages=["en"])).action != "pass"
out = {}
show = "--show" in sys.argv
for name, only_dev in (("replies_toxicity.tsv", True), ("replies_late_test.tsv", False), ("replies_hostile_dev5.tsv", False)):
    res = {"hostile": [], "benign": []}
    for kind, lang, text in csv.reader((D / name).open(encoding="utf-8"), delimiter="\t"):
        if lang != "en" or kind not in res or (only_dev and carve(text) != "dev"):
            continue
        f = flag(text); res[kind].append(f)
        if show and f != (kind == "hostile"): print("MISS", name, kind, text)
    out[name] = {k: f"{sum(v)}/{len(v)}" for k, v in res.items()}
if "--alarms" in sys.argv:
    n = a = 0
    for nm in ("twcs_agent_replies", "ibm_custcare_agent_replies"):
        for t in pd.read_csv(f"/work/shared/benchdata/{nm}/dev.csv", keep_default_na=False).text:
            if carve(t) != "dev": continue
            n += 1; f = flag(t); a += f
            if f and show: print("ALARM", t)
    out["alarms_dev"] = f"{a}/{n}"
print(json.dumps(out))
