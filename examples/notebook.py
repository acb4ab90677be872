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
# tiers by grid, the most frequent reasons, and a plot. An analyst works from the
# pseudonymised export, not the plan: no names, ID numbers, phones, exact dates or
# registry ids, and every person's id replaced by a keyed token (spec §8). Open it as a
# notebook with `jupytext --to notebook examples/notebook.py`, or run it as a script. It
# needs the `examples` extra: `python -m pip install 'community-care[examples]'`.

# %%
import secrets
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

from community_care import plan_community, pseudonymise
from community_care.samples import DEMO_DATE, demo_community

matplotlib.use("Agg")  # draw to files only: no window, works on a server

# %% [markdown]
# ## Plan the community, then pseudonymise the plan
#
# The committee plans its registry and hands the analyst the export. The key stays with
# the committee: with the same key next month's export joins this one, token by token.
# Here a fresh key is made for the run.

# %%
snapshot = demo_community()
plan = plan_community(snapshot, on=DEMO_DATE)
key = secrets.token_bytes(32)
export = pseudonymise(snapshot, plan, key=key)
frames = export.to_frames()

frame = frames["elderly"].assign(
    raised_by_floor=lambda f: f["tier"] != f["score_tier"],
    interventions_count=lambda f: f["interventions"].map(len),
)
frame["tier"] = pd.Categorical(frame["tier"], categories=["red", "yellow", "green"], ordered=True)
frame[["token", "age_band", "grid", "tier", "score", "interventions_count"]].head()

# %% [markdown]
# ## Tiers by grid
#
# The export's `aggregates` table gives the same counts with small cells suppressed (a
# count from 1 to 4 is null), for a table that leaves the analyst's desk.

# %%
by_grid = pd.crosstab(frame["grid"], frame["tier"])
published = (
    frames["aggregates"]
    .query("measure == 'elderly_tier'")
    .pivot(index="grid", columns="category", values="count")[["red", "yellow", "green"]]
    .astype("Int64")
)  # null where suppressed
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
# Every row carries the codes of its reasons; counting them over the red tier shows
# which risks the committee meets most often.

# %%
red = frame[frame["tier"] == "red"]
top_reasons = Counter(red["reasons"].explode().dropna()).most_common(5)
pd.DataFrame(top_reasons, columns=["reason", "red-tier residents"])

# %% [markdown]
# ## Needs the five parties could not meet

# %%
needs = frames["needs"]
unmet = needs[~needs["met"]].groupby(["category", "unmet_reason"]).size().nlargest(5)

# %% [markdown]
# ## Summary

# %%
print(f"{len(frame)} older residents assessed on {DEMO_DATE}, {len(plan.rejections)} rejected")
print(by_grid.to_string())
mean_score = frame.groupby("tier", observed=True)["score"].mean().round(1)
print(f"mean score by tier: {mean_score.to_dict()}")
print(f"tier raised by a floor: {int(frame['raised_by_floor'].sum())} residents")
print("most frequent reasons in the red tier:", ", ".join(f"{c} ({n})" for c, n in top_reasons))
print(f"needs met: {int(needs['met'].sum())} of {len(needs)}; most often unmet:")
print(unmet.to_string())
print("tiers by grid as published (counts from 1 to 4 suppressed):")
print(published.to_string())
print(f"plot written to {plot_path}")
