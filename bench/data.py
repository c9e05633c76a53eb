"""England-scale files for the bench, in the real layouts, written by the demo generators.

No Django here: the generators are plain Python, so the parent process writes the files before any
database exists.
"""

import time
from pathlib import Path

from schools import demo_generator, demo_performance

# GIAS type -> the portal's governance (schools.imports.gias_values.governance_for gives the same for these types).
GOVERNANCE = {
    "Community school": "la_maintained", "Voluntary aided school": "la_maintained",
    "Voluntary controlled school": "la_maintained", "Foundation school": "la_maintained",
    "Academy converter": "academy", "Academy sponsor led": "academy", "Free schools": "free_school",
    "University technical college": "free_school", "Community special school": "special_maintained",
    "Academy special converter": "special_academy",
}


def performance_schools(data):
    """The register's open schools as the performance generator's records (as demo_schools() reads them)."""
    out = []
    for s in sorted(data.open_schools(), key=lambda s: s.urn):
        governance = GOVERNANCE.get(s.type_name, "la_maintained")
        phase = "special" if governance.startswith("special") else s.phase
        if phase not in ("primary", "secondary", "all_through", "special"):
            continue
        out.append(demo_performance.DemoSchool(
            urn=s.urn, la_code=s.la_code, la_name=s.la_name, estab=s.establishment_number, name=s.name,
            phase=phase, pupils=s.pupils or 210, governance=governance, town=s.town,
            ofsted_rating=s.ofsted_rating, ofsted_date=s.ofsted_date,
        ))
    return out


def generate(folder, n_schools, n_las, gias_rows, years=demo_performance.YEARS, seed=2024):
    """Write every file; returns (la_codes, [(kind, path)] in import order, facts)."""
    started = time.perf_counter()
    folder = Path(folder)
    predecessors = max(1, n_schools // 50)
    closed = max(0, gias_rows - n_schools - predecessors)
    data = demo_generator.national(n_schools=n_schools, n_las=n_las, closed_rows=closed, seed=seed)
    # Some converters replaced a maintained school (a closed predecessor and a links file row each way).
    # A maker of its own numbers them from 110,000 up, below the national URNs (150,000 up).
    demo_generator._add_predecessors(demo_generator._Maker(seed + 1), data, count=predecessors)
    gias = demo_generator.write_all(data, folder / "gias")
    files = list(gias.items())
    schools = performance_schools(data)
    perf = demo_performance.write_files(schools, folder / "performance", years=years)
    for path in perf:
        name = path.name
        kind = next((k for k in ("census", "abs", "ks2", "ks4") if f"_{k}" in name), "ofsted")
        files.append((kind, path))
    facts = {
        "schools_open": len(data.open_schools()),
        "gias_rows": len(data.schools),
        "trusts": len(data.trusts),
        "las": len(data.las),
        "years": list(years),
        "files": len(files),
        "bytes": sum(Path(p).stat().st_size for _, p in files),
        "seconds": round(time.perf_counter() - started, 2),
    }
    return data.la_codes, [(k, str(p)) for k, p in files], facts
