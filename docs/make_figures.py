#!/usr/bin/python3
"""Draws the README's pictures from the sample runs (run the README's first command first):

    /usr/bin/python3 docs/make_figures.py

Needs Debian's python3-geopandas and python3-matplotlib.
"""
import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

out = "docs/img/"

# Charlotte: neighborhoods coloured by the share within 800 m of an event, gaps, events, stations.
nb = gpd.read_file("out/charlotte/coverage/neighborhoods.geojson")
gaps = gpd.read_file("out/charlotte/coverage/gaps.geojson")
ev = gpd.read_file("out/charlotte/coverage/events.geojson")
st = gpd.read_file("out/charlotte/coverage/stations.geojson")
fig, ax = plt.subplots(figsize=(8, 8))
nb.plot(ax=ax, column="covered_share_800m", cmap="RdYlGn", vmin=0, vmax=1, edgecolor="#666", linewidth=0.3, legend=True,
        legend_kwds={"label": "share of the neighborhood within 800 m of an event", "shrink": 0.6})
gaps[gaps["radius"] == "800m"].plot(ax=ax, facecolor="none", edgecolor="#7f0000", linewidth=0.3, hatch="////")
ev.plot(ax=ax, color="#2166ac", markersize=6, label="events (illustrative)")
st.plot(ax=ax, color="black", marker="*", markersize=60, label="police stations")
ax.legend(loc="lower right")
ax.set_title("Charlotte–Mecklenburg: reach of 184 events within 800 m (straight line)")
ax.set_axis_off()
fig.text(0.01, 0.01, "Data: Mecklenburg County GIS (MIT)", fontsize=7)
fig.savefig(out + "charlotte-coverage.png", dpi=90, bbox_inches="tight")

# Liechtenstein: walking service areas next to straight-line reach.
fig, axes = plt.subplots(1, 2, figsize=(10, 7), sharex=True, sharey=True)
for ax, folder, title in ((axes[0], "liechtenstein", "walking 5 / 10 / 15 min along streets"),
                          (axes[1], "liechtenstein-straight", "straight line 400 / 800 / 1200 m")):
    nb = gpd.read_file(f"out/{folder}/coverage/neighborhoods.geojson")
    nb.plot(ax=ax, color="#f0f0f0", edgecolor="#888", linewidth=0.5)
    if folder == "liechtenstein":
        sa = gpd.read_file(f"out/{folder}/coverage/service_areas.geojson")
        for b, c in (("15min", "#c6dbef"), ("10min", "#6baed6"), ("5min", "#08519c")):
            sa[sa["break"] == b].plot(ax=ax, color=c)
    else:
        gaps = gpd.read_file(f"out/{folder}/coverage/gaps.geojson")
        nbp = nb.to_crs(3857)
        for r, c in (("1200m", "#c6dbef"), ("800m", "#6baed6"), ("400m", "#08519c")):
            g = gaps[gaps["radius"] == r].to_crs(3857)
            covered = nbp.geometry.unary_union.difference(g.geometry.unary_union) if len(g) else nbp.geometry.unary_union
            gpd.GeoSeries([covered], crs=3857).to_crs(4326).plot(ax=ax, color=c)
    gpd.read_file(f"out/{folder}/coverage/events.geojson").plot(ax=ax, color="red", markersize=6)
    ax.set_title(title)
    ax.set_axis_off()
    ax.set_xlim(9.47, 9.60)
    ax.set_ylim(47.04, 47.28)
fig.suptitle("Liechtenstein: who can walk to an event")
fig.text(0.01, 0.01, "© OpenStreetMap contributors, ODbL", fontsize=7)
fig.savefig(out + "liechtenstein-walk-vs-straight.png", dpi=80, bbox_inches="tight")
print("wrote", out)
