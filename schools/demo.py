"""Demo register: the fictional partnership written as real GIAS files and imported through the pipeline.

Files go to demo-data/ (gitignored). Idempotent: a file whose hash was already imported is not
imported again, and clusters are looked up by name, so a second run changes nothing.
"""

import hashlib
from pathlib import Path

from django.conf import settings

from pep_portal import partnership

from . import demo_generator
from .imports import pipeline
from .models import Cluster, ImportRecord, School

DEMO_DIR = Path(settings.BASE_DIR) / "demo-data"
CLUSTERS = ("North locality", "South locality", "East locality", "West locality")


def demo_data():
    code = partnership.current().la_codes[0]
    return demo_generator.demo_partnership(la=(code, demo_generator.DEMO_LA[1]))


def load(stdout=None, folder=DEMO_DIR):
    data = demo_data()
    paths = demo_generator.write_all(data, folder)
    for kind, path in paths.items():
        content = Path(path).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if ImportRecord.objects.filter(sha256=digest, kind=kind, status=ImportRecord.Status.DONE).exists():
            _say(stdout, f"{Path(path).name}: already imported")
            continue
        record = pipeline.run_file(content, Path(path).name, kind=kind, source="demo")
        for line in pipeline.report_lines(record):
            _say(stdout, line)
        if record.status != ImportRecord.Status.DONE:
            raise RuntimeError(f"demo import refused: {record.message}")
    _clusters(data)
    # Performance files for the same schools (KS2, KS4, absence, census, Ofsted), imported the same way.
    from . import demo_performance

    demo_performance.load(stdout=stdout, out_dir=Path(folder) / "performance")


def _clusters(data):
    # Localities by position: the demo's schools split into four quarters around the centre.
    schools = {s.urn: s for s in data.open_schools()}
    mid_e = sorted(s.easting for s in schools.values())[len(schools) // 2]
    mid_n = sorted(s.northing for s in schools.values())[len(schools) // 2]
    members = {name: [] for name in CLUSTERS}
    for s in schools.values():
        north, east = s.northing >= mid_n, s.easting >= mid_e
        name = CLUSTERS[0] if north and not east else CLUSTERS[2] if north else CLUSTERS[1] if east else CLUSTERS[3]
        members[name].append(s.urn)
    for name, urns in members.items():
        cluster, _ = Cluster.objects.get_or_create(name=name, defaults={"kind": "locality"})
        wanted = set(School.objects.filter(urn__in=urns).values_list("id", flat=True))
        have = set(cluster.schools.values_list("id", flat=True))
        if wanted != have:
            cluster.schools.set(wanted)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)
