# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # The sample community in a data frame
#
# Risk assessments of the sample community's older residents, as a pandas DataFrame: the
# tiers by grid, the most frequent reasons, and a plot. Open it as a notebook with
# `jupytext --to notebook examples/notebook.py`, or run it as a script. It needs the
# `examples` extra: `python -m pip install 'community-care[examples]'`.

# %%
import tempfile
from collections import Counter
from pathlib import Path

try:
    import matplotlib
    import pandas as pd
    from matplotlib.figure import Figure
except ImportError as exc:  # the examples extra is not installed
    raise SystemExit(
        f"skip: needs {exc.name}: python -m pip install 'community-care[examples]'"
    ) from None

from community_care import ElderlyAssessment, Rejection, assess_many
from community_care.samples import DEMO_DATE, demo_community

matplotlib.use("Agg")  # draw to files only: no window, works on a server

# %% [markdown]
# ## Assess every older resident
#
# `assess_many` goes through the registry lazily and yields an assessment, or a
# rejection with the record's path, for each record.

# %%
snapshot = demo_community()
results = list(assess_many(snapshot["elderly"], on=DEMO_DATE, path="$.elderly"))
assessments = [r for r in results if isinstance(r, ElderlyAssessment)]
rejections = [r for r in results if isinstance(r, Rejection)]

frame = pd.DataFrame(
    {
        "id": a.resident_id,
        "grid": a.grid,
        "age": a.age,
        "tier": a.tier.value,
        "score": a.score,
        "raised_by_floor": a.tier != a.score_tier,
        "interventions": len(a.interventions),
    }
    for a in assessments
)
frame["tier"] = pd.Categorical(frame["tier"], categories=["red", "yellow", "green"], ordered=True)
frame.head()

# %% [markdown]
# ## Tiers by grid

# %%
by_grid = pd.crosstab(frame["grid"], frame["tier"])
by_grid.assign(total=by_grid.sum(axis=1))

# %% [markdown]
# The plot is drawn on a `Figure` object rather than through `pyplot`, so nothing
# global is kept and no window opens. Labels are in English: the default fonts have
# no Chinese characters.

# %%
figure = Figure(figsize=(7, 4))
ax = figure.subplots()
by_grid.plot.bar(ax=ax, stacked=True, color=["#c0392b", "#f1c40f", "#27ae60"], rot=0)
ax.set_xlabel("grid")
ax.set_ylabel("older residents")
ax.set_title(f"Risk tiers by grid on {DEMO_DATE.isoformat()}")
out_dir = Path(tempfile.mkdtemp(prefix="community-care-"))
plot_path = out_dir / "tiers_by_grid.png"
figure.savefig(plot_path, dpi=100, bbox_inches="tight")

# %% [markdown]
# ## What drives the red tier
#
# Every assessment carries its reasons; counting their codes over the red tier shows
# which risks the committee meets most often.

# %%
red = [a for a in assessments if a.tier.value == "red"]
top_reasons = Counter(r.code for a in red for r in a.reasons).most_common(5)
pd.DataFrame(top_reasons, columns=["reason", "red-tier residents"])

# %% [markdown]
# ## Summary

# %%
print(f"{len(assessments)} older residents assessed on {DEMO_DATE}, {len(rejections)} rejected")
print(by_grid.to_string())
mean_score = frame.groupby("tier", observed=True)["score"].mean().round(1)
print(f"mean score by tier: {mean_score.to_dict()}")
print(f"tier raised by a floor: {int(frame['raised_by_floor'].sum())} residents")
print("most frequent reasons in the red tier:", ", ".join(f"{c} ({n})" for c, n in top_reasons))
print(f"plot written to {plot_path}")
