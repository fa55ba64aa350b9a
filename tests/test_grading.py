"""`grade(expected, given)`: the table an anatomy teacher would mark, traps included.

Each row is (expected, given, grade, why). A trap is a pair whose letters are close but
whose anatomy is not (or the reverse): the `TRAPS` rows are checked again below to be
real traps, i.e. a plain string similarity would have marked them the other way.
"""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from flashcards.grading import equivalent, grade, overlaps

PSOAS_NERVE = "Anterior rami of L1–L3"
PSOAS_INSERTION = "Lesser trochanter of the femur (with iliacus, as iliopsoas)"
PSOAS_ORIGIN = (
    "Deep part: transverse processes of L1–L5\n"
    "Superficial part: sides of the T12–L4 vertebral bodies and the discs between them"
)
ILIACUS_ORIGIN = (
    "Upper two-thirds of the iliac fossa\nInner lip of the iliac crest\nAla of the sacrum\n"
    "Anterior sacroiliac and iliolumbar ligaments"
)
SYNERGISTS = "Iliacus\nRectus femoris\nSartorius\nTensor fasciae latae\nPectineus"
PSOAS_ACTIONS = (
    "Flexes the thigh at the hip\nWeak lateral rotation of the thigh (disputed)\n"
    "Unilateral: lateral flexion of the lumbar spine\n"
    "Bilateral: flexes the trunk (sitting up from supine)"
)

# Equivalent: what a teacher accepts as the answer itself.
EQUIVALENT = [
    (PSOAS_NERVE, "anterior rami of L1-L3", "hyphen for en dash, case"),
    (PSOAS_NERVE, "Anterior rami of L1–L3.", "a full stop"),
    (PSOAS_NERVE, "ventral rami of L1–L3", "ventral rami = anterior rami"),
    (PSOAS_NERVE, "anterior rami of L1, L2, L3", "levels as a list"),
    (PSOAS_NERVE, "anterior rami of L1, L2 and L3", "levels as a list with and"),
    (PSOAS_NERVE, "anterior rami of L1 to L3", "levels with to"),
    (PSOAS_NERVE, "ant. rami of L1-3", "abbreviation, second level without its letter"),
    (PSOAS_NERVE, "anterior primary rami of L1 through L3", "'primary' rami, 'through'"),
    (PSOAS_NERVE, "the anterior rami, L1–L3", "article, a comma inside one answer"),
    (PSOAS_NERVE, "Anterior ramus of L1-L3", "singular"),
    (PSOAS_INSERTION, "lesser trochanter of the femur", "the aside in brackets is optional"),
    (PSOAS_INSERTION, "Lesser trochanter of femur", "no article"),
    ("Femoral nerve (L2–L3)", "femoral n.", "n. = nerve"),
    ("Femoral nerve (L2–L3)", "femoral nerve, L2-L3", "the bracket typed out"),
    ("Femoral nerve (L2–L3)", "Femoral nerve (L2, L3)", "levels listed inside the bracket"),
    ("Obturator artery", "obturator a.", "a. = artery"),
    ("Great saphenous vein", "great saphenous v.", "v. = vein"),
    ("Inguinal ligament", "inguinal lig.", "lig. = ligament"),
    ("Psoas major", "psoas major muscle", "'muscle' adds nothing"),
    ("Psoas major", "m. psoas major", "m. = muscle"),
    ("Psoas major and iliacus", "iliacus and psoas major", "list order"),
    ("Psoas major and iliacus", "Iliacus, psoas major", "list order, comma"),
    (SYNERGISTS, "pectineus, TFL, sartorius, rectus femoris, iliacus", "order and TFL"),
    (SYNERGISTS, "Iliacus; Rectus femoris; Sartorius; Tensor fascia lata; Pectineus", "fascia"),
    ("Tensor fasciae latae", "tensor fascia lata", "fasciae/fascia: Latin plural, same muscle"),
    ("Haematoma", "hematoma", "British/American"),
    ("Oesophagus", "esophagus", "British/American"),
    ("Coeliac trunk", "celiac trunk", "British/American"),
    ("Caecum", "cecum", "British/American"),
    ("Fibre", "fiber", "British/American"),
    ("Common fibular nerve", "common peroneal nerve", "fibular = peroneal"),
    ("Facial nerve", "CN VII", "cranial nerve by Roman numeral"),
    ("Facial nerve", "cranial nerve 7", "cranial nerve by Arabic numeral"),
    ("CN VII", "CN7", "Roman = Arabic"),
    ("Vagus nerve (CN X)", "vagus", "name alone"),
    ("Hypoglossal nerve", "12th cranial nerve", "ordinal"),
    ("Body of L IV", "body of L4", "Roman numeral for a vertebra"),
    ("Brachial plexus roots C5–T1", "brachial plexus roots C5, C6, C7, C8, T1", "across regions"),
    ("Lateral rotation of the thigh", "external rotation of the thigh", "external = lateral"),
    ("Lateral rotation of the thigh", "laterally rotates the thigh", "verb form"),
    ("Medial rotation", "internal rotation", "internal = medial"),
    ("Hip flexion", "flexion of the hip", "of-phrase"),
    ("Iliopubic eminence", "iliopectineal eminence", "synonym"),
    ("Upper two-thirds of the iliac fossa", "upper 2/3 of the iliac fossa", "2/3"),
    (
        "Posterior divisions of the anterior rami of L2–L4",
        "post. divisions of ventral rami L2-L4",
        "both",
    ),
    (
        "Sides of the T12–L4 vertebral bodies",
        "sides of vertebral bodies T12, L1, L2, L3, L4",
        "T12-L4",
    ),
    ("Anterior cruciate ligament", "ACL", "abbreviation"),
    ("Iliotibial tract", "IT band", "synonym"),
    ("Intervertebral discs", "intervertebral disks", "disc/disk"),
    ("Posterior interosseous nerve (C7–C8)", "deep branch of the radial nerve", "PIN"),
    (
        PSOAS_ORIGIN,
        "Transverse processes of L1-L5; sides of T12-L4 vertebral bodies and discs",
        "labels",
    ),
    # Flexing the thigh at the hip is hip flexion: nothing is left out.
    ("Flexes the thigh at the hip", "hip flexion", "hip flexion is flexing the thigh"),
]

# Slips: right, with one thing a teacher would point out: grade 4.
SLIPS = [
    ("Sartorius", "sartorious", "one extra letter"),
    ("Sartorius", "satorius", "one missing letter"),
    ("Supraspinatus", "supraspinatis", "one wrong letter"),
    ("Sternocleidomastoid", "sternocleidomastiod", "transposed letters"),
    (PSOAS_NERVE, "antrior rami of L1 to L3", "a typo"),
    ("Femoral nerve (L2–L3)", "femoral", "the kind of structure left out"),
    (PSOAS_INSERTION, "lesser trochanter", "'of the femur' left out"),
    (SYNERGISTS, "iliacus, rectus femoris, sartorius, TFL", "four of five items"),
    ("Psoas major and iliacus", "psoas major iliacus", "every item, no list marks"),
    ("Gluteus maximus", "gluteus maximis", "typo in the Latin ending"),
]

# Partly right: grade 3.
PARTLY = [
    ("Psoas major and iliacus", "psoas major", "one of two"),
    (SYNERGISTS, "iliacus, rectus femoris, sartorius", "three of five"),
    (PSOAS_NERVE, "anterior rami", "no levels"),
    (PSOAS_NERVE, "L1-L3", "levels without the rami"),
    # Three of four sites, each without its detail (the upper two-thirds, the inner lip).
    (ILIACUS_ORIGIN, "iliac fossa, iliac crest, sacrum", "three of four items, each less precise"),
    ("Femoral nerve", "femoral nerve and obturator nerve", "right, and a wrong one beside it"),
    (PSOAS_ACTIONS, "flexes the hip, lateral flexion of the lumbar spine", "two of four"),
    (
        SYNERGISTS,
        "iliacus, rectus femoris, sartorius, TFL, pectineus, gluteus maximus, "
        "hamstrings, adductor longus",
        "all of them, buried in guesses",
    ),
]

# Wrong, but near: grade 2. Wrong and far: grade 1. Blank: 0.
WRONG = [
    (PSOAS_NERVE, "anterior rami of L1-L4", 2, "L1-L4 is not L1-L3"),
    (PSOAS_NERVE, "anterior rami of L2-L3", 2, "L2-L3 is not L1-L3"),
    (PSOAS_NERVE, "posterior rami of L1-L3", 2, "the other rami"),
    (PSOAS_NERVE, "dorsal rami of L1–L3", 2, "dorsal = posterior"),
    (PSOAS_INSERTION, "greater trochanter of the femur", 2, "greater/lesser"),
    (PSOAS_INSERTION, "lesser trochanter of the tibia", 2, "another bone"),
    (PSOAS_INSERTION, "lesser tubercle of the humerus", 1, "another structure"),
    ("Femoral nerve (L2–L3)", "femoral artery", 2, "nerve/artery"),
    ("Femoral nerve (L2–L3)", "femoral nerve L2-L4", 2, "wrong levels in the extra"),
    ("Femoral nerve (L2–L3)", "obturator nerve", 1, "another nerve"),
    ("Abduction of the thigh", "adduction of the thigh", 2, "abduction/adduction"),
    ("Abducts the arm", "adducts the arm", 2, "abducts/adducts"),
    ("Flexes the thigh at the hip", "extends the thigh at the hip", 2, "flexion/extension"),
    ("Lateral rotation of the thigh", "medial rotation of the thigh", 2, "medial/lateral"),
    ("Lateral rotation of the thigh", "internal rotation of the thigh", 2, "internal = medial"),
    ("Medial epicondyle", "lateral epicondyle", 2, "medial/lateral"),
    ("Anterior superior iliac spine", "anterior inferior iliac spine", 2, "ASIS/AIIS"),
    ("Superficial fibular nerve", "deep fibular nerve", 2, "superficial/deep"),
    ("Dorsiflexion of the ankle", "plantarflexion of the ankle", 2, "dorsi/plantar"),
    ("Supination of the forearm", "pronation of the forearm", 2, "supination/pronation"),
    ("Inversion of the foot", "eversion of the foot", 2, "inversion/eversion"),
    ("Ilium", "ileum", 2, "ilium/ileum: bone/bowel, one letter"),
    ("Gluteus medius", "gluteus minimus", 2, "medius/minimus"),
    ("Gluteus medius", "gluteus maximus", 2, "medius/maximus"),
    ("Supraspinatus", "infraspinatus", 2, "supra/infra"),
    ("Teres major", "teres minor", 2, "major/minor"),
    ("Adductor longus", "adductor brevis", 2, "longus/brevis"),
    ("Vastus lateralis", "vastus medialis", 2, "lateralis/medialis"),
    ("Obturator internus", "obturator externus", 2, "internus/externus"),
    ("Flexor digitorum superficialis", "flexor digitorum profundus", 2, "superficialis"),
    ("Perineal nerve", "peroneal nerve", 1, "perineal is not peroneal"),
    ("Carotid sheath", "parotid sheath", 2, "carotid/parotid"),
    ("Facial nerve", "CN VIII", 2, "VII/VIII"),
    ("Optic nerve", "otic ganglion", 1, "optic/otic"),
    ("Malleus", "malleolus", 2, "ear bone/ankle"),
    ("Palmar aponeurosis", "plantar aponeurosis", 2, "palmar/plantar"),
    ("Upper two-thirds of the iliac fossa", "iliac crest", 1, "crest for fossa"),
    ("Upper two-thirds of the iliac fossa", "lower two-thirds of the iliac fossa", 2, "upper"),
    (SYNERGISTS, "iliacus, sartorius", 2, "two of five"),
    # Half the answer given wrong is not recalled: SM-2's 3 would count it as known.
    ("Psoas major and iliacus", "psoas minor and iliacus", 2, "one of two right, one wrong"),
    (SYNERGISTS, "gluteus maximus, hamstrings", 1, "the antagonists"),
    ("Psoas major and iliacus", "biceps and triceps", 1, "nothing of it"),
    ("Biceps brachii", "triceps brachii", 2, "biceps/triceps"),
    ("Sartorius", "gracilis", 1, "another muscle"),
    ("Sartorius", "", 0, "blank"),
    ("Sartorius", "   ", 0, "only spaces"),
    ("Sartorius", "?", 0, "nothing to grade"),
]

TABLE = (
    [(e, g, 5, why) for e, g, why in EQUIVALENT]
    + [(e, g, 4, why) for e, g, why in SLIPS]
    + [(e, g, 3, why) for e, g, why in PARTLY]
    + WRONG
)


@pytest.mark.parametrize(("expected", "given", "quality", "why"), TABLE, ids=[r[3] for r in TABLE])
def test_grade_table(expected: str, given: str, quality: int, why: str) -> None:
    assert grade(expected, given) == quality, why


def test_the_table_is_big_and_mostly_traps() -> None:
    assert len(TABLE) >= 80
    assert len(TRAPS) >= 30


def _letters_say_same(expected: str, given: str) -> bool:
    return fuzz.ratio(expected.lower(), given.lower()) >= 80


# Traps: letters say one thing and anatomy another. Wrong answers that a string
# comparison would pass, and right answers that it would fail.
TRAPS = [row for row in TABLE if (row[2] >= 4) != _letters_say_same(row[0], row[1])]


@pytest.mark.parametrize(("expected", "given", "quality", "why"), TRAPS, ids=[r[3] for r in TRAPS])
def test_traps_are_real_traps(expected: str, given: str, quality: int, why: str) -> None:
    """A plain similarity of 80 % would mark these the other way; the grader does not."""
    letters = _letters_say_same(expected, given)
    assert letters != (quality >= 4)
    assert (grade(expected, given) >= 4) == (quality >= 4), why


def test_near_misses_that_string_similarity_would_pass() -> None:
    close_but_wrong = [r for r in WRONG if _letters_say_same(r[0], r[1])]
    assert len(close_but_wrong) >= 20
    for expected, given, _, why in close_but_wrong:
        assert grade(expected, given) <= 2, why


def test_grade_is_always_0_to_5_and_an_int() -> None:
    for expected, given, _, _ in TABLE:
        for a, b in ((expected, given), (given, expected), (expected, expected)):
            q = grade(a, b)
            assert type(q) is int and 0 <= q <= 5


def test_an_answer_is_always_itself() -> None:
    for expected, _, _, _ in TABLE:
        if expected.strip():
            assert grade(expected, expected) == 5


def test_equivalent_is_symmetric_and_overlaps_catches_partial_answers() -> None:
    assert equivalent("Anterior rami of L1–L3", "ventral rami of L1, L2, L3")
    assert equivalent("ventral rami of L1, L2, L3", "Anterior rami of L1–L3")
    assert not equivalent("Anterior rami of L1–L3", "Anterior rami of L1–L4")
    assert overlaps(PSOAS_INSERTION, "Lesser trochanter of the femur")
    assert not overlaps(PSOAS_INSERTION, "Greater trochanter of the femur")
