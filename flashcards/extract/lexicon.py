"""The names of human skeletal muscles, so the extractor can tell a name from a word.

Each entry is ``Canonical name|other name|…``; an other name starting with ``*`` is a
short form (``*TFL``, ``*lats``) that never becomes a structure's name, only an alias.
The list covers the limbs, the back, the trunk and the head and neck: a page about any
muscle should find its name here, and a page about something else falls back on its
headings (see `names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MUSCLES", "MuscleName", "find_muscles", "muscle_key"]

_ENTRIES = """
Psoas major|psoas|greater psoas
Psoas minor
Iliacus|iliac muscle
Iliopsoas
Sartorius
Rectus femoris
Vastus lateralis
Vastus medialis|*VMO
Vastus intermedius
Articularis genus|articularis genu
Quadriceps femoris|quadriceps|*quads
Pectineus
Adductor longus
Adductor brevis
Adductor magnus
Adductor minimus
Gracilis
Obturator externus|external obturator
Obturator internus|internal obturator
Gluteus maximus|*glute max
Gluteus medius|*glute med
Gluteus minimus|*glute min
Tensor fasciae latae|tensor fascia latae|tensor fasciae lata|tensor fascia lata|*TFL
Piriformis
Superior gemellus|gemellus superior
Inferior gemellus|gemellus inferior
Gemelli
Quadratus femoris
Biceps femoris
Semitendinosus
Semimembranosus
Hamstrings|hamstring muscles
Tibialis anterior|anterior tibialis
Extensor hallucis longus|*EHL
Extensor digitorum longus|*EDL
Fibularis tertius|peroneus tertius
Fibularis longus|peroneus longus
Fibularis brevis|peroneus brevis
Gastrocnemius
Soleus
Plantaris
Triceps surae
Popliteus
Flexor hallucis longus|*FHL
Flexor digitorum longus|*FDL
Tibialis posterior|posterior tibialis
Extensor digitorum brevis|*EDB
Extensor hallucis brevis
Abductor hallucis
Flexor digitorum brevis
Abductor digiti minimi
Quadratus plantae|flexor accessorius
Lumbricals|lumbricales|lumbrical muscles
Flexor hallucis brevis
Adductor hallucis
Flexor digiti minimi brevis|flexor digiti minimi
Plantar interossei
Dorsal interossei
Palmar interossei
Trapezius|*traps
Latissimus dorsi|*lats
Levator scapulae
Rhomboid major|rhomboideus major
Rhomboid minor|rhomboideus minor
Rhomboids
Serratus posterior superior
Serratus posterior inferior
Splenius capitis
Splenius cervicis
Erector spinae|sacrospinalis
Iliocostalis lumborum
Iliocostalis thoracis
Iliocostalis cervicis
Iliocostalis
Longissimus thoracis
Longissimus cervicis
Longissimus capitis
Longissimus
Spinalis thoracis
Spinalis cervicis
Spinalis capitis
Spinalis
Semispinalis thoracis
Semispinalis cervicis
Semispinalis capitis
Multifidus|multifidi
Rotatores|rotatores spinae
Interspinales
Intertransversarii
Levatores costarum
Quadratus lumborum|*QL
Rectus capitis posterior major
Rectus capitis posterior minor
Obliquus capitis superior
Obliquus capitis inferior
Pectoralis major|*pec major
Pectoralis minor|*pec minor
Subclavius
Serratus anterior
Deltoid|deltoideus|deltoid muscle
Supraspinatus
Infraspinatus
Teres minor
Teres major
Subscapularis
Rotator cuff
Coracobrachialis
Biceps brachii|biceps
Brachialis
Triceps brachii|triceps
Anconeus
Pronator teres
Flexor carpi radialis|*FCR
Palmaris longus
Flexor carpi ulnaris|*FCU
Flexor digitorum superficialis|flexor digitorum sublimis|*FDS
Flexor digitorum profundus|*FDP
Flexor pollicis longus|*FPL
Pronator quadratus
Brachioradialis
Extensor carpi radialis longus|*ECRL
Extensor carpi radialis brevis|*ECRB
Extensor digitorum|extensor digitorum communis
Extensor digiti minimi
Extensor carpi ulnaris|*ECU
Supinator
Abductor pollicis longus|*APL
Extensor pollicis brevis|*EPB
Extensor pollicis longus|*EPL
Extensor indicis
Abductor pollicis brevis
Flexor pollicis brevis
Opponens pollicis
Adductor pollicis
Palmaris brevis
Opponens digiti minimi
Rectus abdominis
External oblique|external abdominal oblique|obliquus externus abdominis
Internal oblique|internal abdominal oblique|obliquus internus abdominis
Transversus abdominis|transverse abdominis|transversus abdominus
Pyramidalis
Cremaster
Diaphragm
External intercostals|external intercostal
Internal intercostals|internal intercostal
Innermost intercostals|innermost intercostal
Subcostales|subcostalis
Transversus thoracis
Levator ani
Coccygeus|ischiococcygeus
Puborectalis
Pubococcygeus
Iliococcygeus
Sternocleidomastoid|sternomastoid|*SCM
Platysma
Anterior scalene|scalenus anterior
Middle scalene|scalenus medius
Posterior scalene|scalenus posterior
Scalenes|scalene muscles|scaleni
Longus colli
Longus capitis
Rectus capitis anterior
Rectus capitis lateralis
Digastric|digastricus
Stylohyoid
Mylohyoid
Geniohyoid
Sternohyoid
Sternothyroid
Thyrohyoid
Omohyoid
Masseter
Temporalis
Medial pterygoid
Lateral pterygoid
Buccinator
Orbicularis oris
Orbicularis oculi
Occipitofrontalis
Frontalis
Zygomaticus major
Zygomaticus minor
Levator palpebrae superioris
Superior rectus
Inferior rectus
Medial rectus
Lateral rectus
Superior oblique
Inferior oblique
Genioglossus
Hyoglossus
Styloglossus
Palatoglossus
Stapedius
Tensor tympani
Procerus
Corrugator supercilii
Nasalis
Mentalis
Risorius
Depressor anguli oris
Levator labii superioris
"""


@dataclass(frozen=True)
class MuscleName:
    canonical: str
    written: str  # the form found in the text
    short: bool  # an abbreviation or nickname: an alias, never the name
    start: int
    end: int


def muscle_key(text: str) -> str:
    """Lower case words, 'm.' / 'musculus' / 'muscle' dropped, for matching names."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"\b(?:musculus|musculi|mm?\.)\s*", " ", text)
    text = re.sub(r"[-_/]", " ", text)
    return " ".join(re.findall(r"[a-z0-9']+", text))


def _table() -> dict[str, tuple[str, bool]]:
    table: dict[str, tuple[str, bool]] = {}
    for line in _ENTRIES.strip().splitlines():
        canonical, *others = line.split("|")
        table.setdefault(muscle_key(canonical), (canonical, False))
        for other in others:
            short = other.startswith("*")
            table.setdefault(muscle_key(other.lstrip("*")), (canonical, short))
    return table


MUSCLES: dict[str, tuple[str, bool]] = _table()  # key -> (canonical name, short form)

# Longest names first, so "gluteus medius" wins over nothing and "biceps femoris" over
# "biceps"; a name followed by a landmark word is that landmark ("deltoid tuberosity").
_LANDMARKS = (
    "tuberosity|ligament|crest|line|fossa|groove|branch|branches|artery|nerve|vein|bursa|"
    "region|tubercle|aponeurosis|process|notch|surface|insertion|tendon sheath"
)
_NAMES = (
    r"(?<![\w-])(?:(?:m|mm)\.\s*|musculus\s+)?("
    + "|".join(
        sorted(
            (
                r"[\s-]+".join(re.escape(word) for word in key.split())
                for key in MUSCLES
                if len(key) > 1
            ),
            key=len,
            reverse=True,
        )
    )
    + r")(?:\s+muscles?)?(?![\w-])"
)
_PATTERN = re.compile(_NAMES + rf"(?!\s+(?:{_LANDMARKS})\b)", re.IGNORECASE)
# In a label ("Biceps femoris INSERTION", "Deltoid nerve supply") a landmark word after
# the name is the label's own word, not part of a landmark's name.
_IN_LABEL = re.compile(_NAMES, re.IGNORECASE)


def find_muscles(text: str, in_label: bool = False) -> list[MuscleName]:
    """Every muscle name in ``text``, in order, with its canonical name.

    ``in_label``: the text is a label, where "Biceps femoris insertion" names biceps
    femoris (elsewhere it is a landmark, like "deltoid tuberosity").
    """
    found: list[MuscleName] = []
    for match in (_IN_LABEL if in_label else _PATTERN).finditer(text):
        written = match.group(1)
        canonical, short = MUSCLES[muscle_key(written)]
        # Short forms in capitals only: "QL" is quadratus lumborum, "ql" is not a name.
        if short and written.upper() != written and len(written) <= 4:
            continue
        found.append(MuscleName(canonical, written, short, match.start(), match.end()))
    return found
