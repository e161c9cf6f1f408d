"""`seed`: the directory plus `n` synthetic patients, in one transaction."""

from __future__ import annotations

import random
from typing import TextIO

from django.db import transaction
from tqdm import tqdm

from ettervern.demo.directory import Directory, build_directory
from ettervern.demo.population import PopulationBuilder, Stats, plan_kinds


def seed(*, patients: int, seed: int | None = None, progress: TextIO | None = None,
         ) -> tuple[Directory, Stats]:
    """Create (or reuse) the directory and add `patients` patients with pathways.

    All or nothing: if anything fails, nothing is left half-written.
    """
    rng = random.Random(seed)
    with transaction.atomic():
        directory = build_directory(rng)
        builder = PopulationBuilder(directory, rng)
        kinds = plan_kinds(patients, rng)
        with tqdm(total=patients, desc="seed", unit="patient", file=progress,
                  disable=progress is None, mininterval=0.2) as bar:
            for kind in kinds:
                builder.add(kind)
                bar.update(1)
    return directory, builder.stats
