"""What real pages do that the extractor reads: the sentence patterns of anatomy texts
("the origin of X is …", a nerve as the subject, "a muscle that flexes …"), labels as
pages write them ("*Action- …", "Biceps femoris ORIGIN:", a sidebar's "Actions • …"),
and the layouts around them (sub-labels, a list after "originates from the:", group
chapters, a page copied with a line break at every link, a newsletter laid out in a
table). Each example is written for the test, in the way such pages write."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.extract.blocks import page_blocks
from flashcards.extract.labels import label_muscle, label_target, parse_label_line
from flashcards.extract.page import html_to_text, page_lines
from flashcards.extract.prose import condense, prose_facts
from flashcards.extract.structures import extract_files, extract_text


def _fields(text: str) -> dict[str, dict[str, str]]:
    return {
        s.name: {key: "; ".join(items) for key, items in s.fields.items()}
        for s in extract_text(text).structures
    }


@pytest.mark.parametrize(
    ("sentence", "field", "value", "subject"),
    [
        (
            "The origin of the sartorius is the ASIS, an origin it shares.",
            "origin",
            "ASIS",
            "Sartorius",
        ),
        (
            "The insertion of the gracilis muscle is the medial tibia.",
            "insertion",
            "Medial tibia",
            "Gracilis",
        ),
        (
            "Sartorius, a long thigh muscle beginning at the ASIS and inserted at the tibia.",
            "origin",
            "ASIS",
            "Sartorius",
        ),
        ("The piriformis has its origin upon the sacrum.", "origin", "Sacrum", "Piriformis"),
        (
            "It is inserted by a common tendon into the head of the fibula.",
            "insertion",
            "Head of the fibula",
            None,
        ),
        (
            "The chief function of the soleus is plantar flexion.",
            "action",
            "Plantar flexion",
            "Soleus",
        ),
        (
            "The principal functions of the piriformis are abduction and lateral rotation.",
            "action",
            "Abduction and lateral rotation",
            "Piriformis",
        ),
        ("Action includes flexion of the thigh.", "action", "Flexion of the thigh", None),
        (
            "The piriformis functions in lateral rotation of the hip.",
            "action",
            "Lateral rotation of the hip",
            "Piriformis",
        ),
        ("Functionally, the iliacus is a potent hip flexor.", "action", "Hip flexor", "Iliacus"),
        (
            "The piriformis acts as a lateral rotator of the thigh.",
            "action",
            "Lateral rotator of the thigh",
            "Piriformis",
        ),
        ("Antagonists are the soleus and gastrocnemius.", "antagonist", "Soleus", None),
        (
            "Its blood supply is derived from the profunda femoris artery.",
            "blood_supply",
            "Profunda femoris artery",
            None,
        ),
        (
            "The muscle's blood supply comes from the sural arteries.",
            "blood_supply",
            "Sural arteries",
            None,
        ),
        (
            "The iliacus is supplied with nerves by branches of the femoral nerve.",
            "innervation",
            "Branches of the femoral nerve",
            "Iliacus",
        ),
    ],
)
def test_the_sentence_patterns_of_anatomy_texts(
    sentence: str, field: str, value: str, subject: str | None
) -> None:
    found = [f for f in prose_facts(sentence) if f.field == field]
    assert found, prose_facts(sentence)
    assert found[0].value.startswith(value) and found[0].subject == subject


def test_a_nerve_as_the_subject_innervates_the_muscle_it_names() -> None:
    [fact] = prose_facts("The thoracodorsal nerve innervates the latissimus dorsi.")
    assert (fact.field, fact.value, fact.subject) == (
        "innervation",
        "Thoracodorsal nerve",
        "Latissimus dorsi",
    )
    assert prose_facts("The saphenous nerve supplies the skin over the medial leg.") == []


def test_a_relative_clause_about_the_muscle_itself_counts_one_about_another_not() -> None:
    # "… a long muscle which arises …": the muscle is the psoas itself.
    assert [
        (f.field, f.value)
        for f in prose_facts(
            "The psoas major is a long muscle which arises from the lumbar vertebrae."
        )
    ] == [("origin", "Lumbar vertebrae")]
    # A dictionary's definition: "a muscle that flexes …, has its origin from …".
    facts = prose_facts(
        ": a muscle that flexes the thigh, has its origin from the iliac fossa, and is "
        "inserted into the lesser trochanter"
    )
    assert [f.field for f in facts] == ["action", "origin", "insertion"]
    # "… the gluteus maximus muscle, which arises …" is about the gluteus maximus.
    assert [
        f.field
        for f in prose_facts(
            "It lies deep to the gluteus maximus muscle, which arises from the ilium."
        )
    ] == []
    # "… the femoral nerve, which arises from L2 …" is about the nerve.
    assert [
        f.field
        for f in prose_facts(
            "It is innervated by the femoral nerve, which arises from the lumbar plexus."
        )
    ] == ["innervation"]


def test_a_muscle_as_a_class_it_belongs_to_carries_its_action() -> None:
    [fact] = prose_facts(
        "The iliacus belongs to the hip flexor muscles, which are responsible for the "
        "flexing of the thigh."
    )
    assert (fact.field, fact.value, fact.subject) == ("action", "Flexing of the thigh", "Iliacus")


def test_whose_fact_a_sentence_states() -> None:
    # A part of a muscle: the muscle's fact, that part's.
    [fact] = prose_facts("The lateral head of the gastrocnemius arises from the lateral condyle.")
    assert (fact.subject, fact.part) == ("Gastrocnemius", "Lateral head")
    # A setting before a comma, then "it".
    [fact] = prose_facts("At the hip, it acts to flex the hip.")
    assert (fact.field, fact.subject) == ("action", None)
    # "It …" is the subject however many muscles it is said to run beside.
    [fact] = prose_facts("It runs beside the subscapularis and is inserted into the humerus.")
    assert (fact.field, fact.subject) == ("insertion", None)
    # "The word sartorius" is a name, not the muscle holding anything.
    assert prose_facts("The word sartorius comes from the way a tailor holds the leg.") == []
    # "The three muscles" is a group, not the structure being described.
    assert prose_facts("The three muscles originate from the ilium.") == []


def test_a_value_runs_past_a_counted_colon_and_a_bracketed_semicolon() -> None:
    [fact] = prose_facts("It inserts into two bones: the medial cuneiform and first metatarsal.")
    assert fact.value == "Two bones: the medial cuneiform and first metatarsal"
    [fact] = prose_facts("The muscle pulls the leg up ( and turns it outward; supination ).")
    assert "supination" in fact.value


def test_spinal_levels_in_a_clause_about_the_nerve_join_the_nerve() -> None:
    [fact] = prose_facts(
        "It is innervated by the deep peroneal nerve, which gets its fibres from the "
        "roots L4 and L5."
    )
    assert fact.value == "Deep peroneal nerve (L4 and L5)"


def test_a_labelled_action_written_as_an_instruction_or_a_bare_verb_is_kept() -> None:
    condensed = condense("action", "Extend the arm from 0 to 15 degrees, where it leads.")
    assert condensed is not None and condensed[0] == ["Extend the arm from 0 to 15 degrees"]
    # "is supplied by" under a nerve label is the nerve, whatever the words around it.
    condensed = condense("blood_supply", "It is supplied by the superior gluteal artery and rami.")
    assert condensed is not None and condensed[0] == ["Superior gluteal artery and rami"]


@pytest.mark.parametrize(
    ("label", "target", "muscle"),
    [
        ("Biceps femoris INSERTION", "insertion", "Biceps femoris"),
        ("Semitendinosus NERVE SUPPLY", "innervation", "Semitendinosus"),
        ("Origin of Deltoid", "origin", "Deltoid"),
        ("Muscle Action/Function of Deltoid", "action", "Deltoid"),
        ("Nerves & Nerve Roots", "innervation", None),
        ("Course", "prose", None),
        ("Description", "prose", None),
    ],
)
def test_labels_that_name_their_muscle_or_a_section(
    label: str, target: str, muscle: str | None
) -> None:
    assert label_target(label) == target
    assert label_muscle(label) == muscle


def test_a_hyphen_glued_to_a_known_label_separates_it_and_a_value_is_not_a_label() -> None:
    hit = parse_label_line("*Action- The piriformis lifts the thigh.")
    assert hit is not None and (hit.target, hit.value) == (
        "action",
        "The piriformis lifts the thigh.",
    )
    assert parse_label_line("Semi-tendinosus- long tendon") is None
    # "Antagonists Gluteus Maximus": a label and its value, not a label of that muscle.
    assert label_muscle("Antagonists Gluteus Maximus") is None
    assert _fields(
        "Psoas major\nOrigin Transverse processes\nInsertion Lesser trochanter\n"
        "Antagonists Gluteus Maximus\n"
    ) == {
        "Psoas major": {
            "origin": "Transverse processes",
            "insertion": "Lesser trochanter",
            "antagonist": "Gluteus Maximus",
        }
    }


def test_a_sidebar_run_into_the_text_gives_its_labelled_lists() -> None:
    found = _fields(
        "Tibialis anterior\n\nWhen the foot is planted, the TIBIALIS ANTERIOR Actions • "
        "Dorsiflexes the ankle • Inverts the foot Attachments • Origin: Lateral condyle of "
        "tibia • Insertion: Medial cuneiform Innervation • Deep peroneal nerve • L4–L5 earn "
        "credits at your convenience\n"
    )
    assert found["Tibialis anterior"]["action"] == "Dorsiflexes the ankle; Inverts the foot"
    assert found["Tibialis anterior"]["innervation"] == "Deep peroneal nerve; L4–L5"


def test_labels_naming_their_muscle_switch_the_structure_in_a_group_chapter() -> None:
    found = _fields(
        "Hamstrings\n\nBiceps femoris ORIGIN:\n\nIschial tuberosity.\n\n"
        "Biceps femoris INSERTION:\n\nHead of the fibula.\n\n"
        "Semitendinosus ORIGIN:\n\nIschial tuberosity.\n\n"
        "Semitendinosus INSERTION:\n\nMedial tibia.\n"
    )
    assert found == {
        "Biceps femoris": {"origin": "Ischial tuberosity", "insertion": "Head of the fibula"},
        "Semitendinosus": {"origin": "Ischial tuberosity", "insertion": "Medial tibia"},
    }


def test_sub_labels_under_a_label_and_a_continued_label_make_one_value() -> None:
    found = _fields(
        "Muscle: Deltoid\nMuscle Actions:\nAnterior Head:\na. Flexes the arm.\n"
        "Muscle Actions (Continued):\nMiddle Head:\na. Abducts the arm.\n"
    )
    assert found["Deltoid"]["action"] == (
        "Anterior head: flexes the arm; Middle Head: Abducts the arm"
    )


def test_lists_after_a_sentence_that_leads_into_them() -> None:
    # "… functions, including:" over items that each explain themselves.
    found = _fields(
        "Latissimus dorsi\n\nThe latissimus dorsi has several functions, including:\n"
        "* Adduction of the arm: This means drawing the arm in.\n"
        "* Extension of the arm: This means moving it back.\n"
    )
    assert found["Latissimus dorsi"]["action"] == "Adduction of the arm; Extension of the arm"
    # "Iliacus acts to:" on a line of its own, as a label would stand.
    found = _fields("Iliacus\n\nIliacus acts to:\n\n  • flex the thigh\n  • rotate it\n")
    assert found["Iliacus"]["action"] == "Flex the thigh; Rotate it"
    # "… originates from the:" over the list under a label.
    found = _fields(
        "Brachialis\n\nOrigin\nThe brachialis muscle originates from the:\n"
        "- distal half of the humerus;\n- intermuscular septum.\n"
    )
    assert found["Brachialis"]["origin"] == "Distal half of the humerus; Intermuscular septum"


def test_a_movement_in_a_list_under_another_label_is_the_action() -> None:
    found = _fields(
        "Iliacus\n\nPoint(s) of Insertion:\n  • Lesser trochanter.\n"
        "  • Flexes and rotates the thigh laterally.\n"
    )
    assert found["Iliacus"] == {
        "insertion": "Lesser trochanter",
        "action": "Flexes and rotates the thigh laterally",
    }


def test_a_list_of_sentences_is_read_as_sentences() -> None:
    found = _fields(
        "Hamstring group\n\n  • The biceps femoris attaches from the ischial tuberosity to "
        "the head of the fibula.\n  • The semitendinosus attaches from the ischial tuberosity "
        "to the pes anserine.\n"
    )
    assert found["Biceps femoris"] == {
        "origin": "Ischial tuberosity",
        "insertion": "Head of the fibula",
    }
    assert found["Semitendinosus"]["insertion"] == "Pes anserine"


def test_copied_pages_without_blank_lines_keep_headings_and_sentences() -> None:
    # A muscle's name on a line over a label, or after a finished sentence, is a heading.
    found = _fields(
        "Rotator cuff\n- Supraspinatus\n- Infraspinatus\nSupraspinatus\nOrigin\n"
        "- Supraspinous fossa\nInfraspinatus\nOrigin\n- Infraspinous fossa\n"
    )
    assert found == {
        "Supraspinatus": {"origin": "Supraspinous fossa"},
        "Infraspinatus": {"origin": "Infraspinous fossa"},
    }
    # A line break at every link does not end the sentence at a muscle's name.
    blocks = page_blocks(
        page_lines(
            "The\nsupraspinatus is one of the\nrotator cuff muscles and also\nabducts the arm.\n"
        )
    )
    assert [b.kind for b in blocks] == ["prose"]


def test_chrome_and_stray_punctuation_end_a_value() -> None:
    found = _fields(
        "Gastrocnemius\n\nNerve\nTibial nerve (S1, 2)\n.\nDeep to it lies the soleus, which "
        "is long.\n\nInnervation\nIt is supplied by the tibial nerve.\nRead More\n"
    )
    assert found["Gastrocnemius"]["innervation"] == "Tibial nerve (S1, 2)"
    found = _fields("Iliacus\nNerve Supply: Femoral, L2, L3; (see innervation)\n")
    assert found["Iliacus"]["innervation"] == "Femoral, L2, L3"


def test_a_second_record_starts_only_where_the_first_field_comes_again() -> None:
    # "ACTION …" then "FUNCTION …" is one structure, not a second one named from the text.
    text = (
        "ORIGIN Gluteus medius originates from the ilium. INSERTION Gluteus medius inserts "
        "onto the greater trochanter. ACTION Gluteus medius abducts the thigh. FUNCTION "
        "Gluteus medius works with gluteus minimus to steady the pelvis.\n"
    )
    assert [s.name for s in extract_text(text).structures] == ["Gluteus medius"]


def test_a_section_heading_below_a_named_muscle_is_not_a_structure() -> None:
    found = _fields(
        "Tibialis anterior\n\nOrigin\n\nBody of tibia\n\nDiscussion\n\nFunction:\n\n"
        "The tibialis anterior dorsiflexes the foot.\n"
    )
    assert list(found) == ["Tibialis anterior"]


def test_descriptive_sections_are_read_for_their_sentences() -> None:
    found = _fields(
        "Corpus: Gluteus medius muscle\n1. Course\nThe gluteus medius originates from the "
        "iliac crest and inserts into the greater trochanter.\n"
    )
    assert found["Gluteus medius"] == {"origin": "Iliac crest", "insertion": "Greater trochanter"}


def test_a_page_without_a_title_is_named_after_its_file(tmp_path: Path) -> None:
    page = tmp_path / "podiatry-soleus.txt"
    page.write_text("Proximal attachment – soleal line of tibia\nNerve supply – tibial\n")
    [structure] = extract_files([page]).structures
    assert structure.name == "Soleus"


def test_a_newsletter_laid_out_in_a_table_is_read_as_its_paragraphs() -> None:
    text = html_to_text(
        "<html><body><table><tr><td><p>Hello!</p><p><b>Muscle of the Month: The "
        "Piriformis</b><br>*<u>Action</u>- The piriformis rotates the thigh.</p></td></tr>"
        "</table></body></html>"
    )
    assert _fields(text) == {"Piriformis": {"action": "Rotates the thigh"}}


def test_a_movement_in_brackets_or_in_a_compound_word_stays_in_its_value() -> None:
    [fact] = prose_facts("It extends the foot (plantar flexes it) at the ankle.")
    assert fact.value == "Extends the foot (plantar flexes it) at the ankle"
    found = _fields("Quadratus lumborum\nActions : Lateral flexion (side-bends) of the trunk.\n")
    assert found["Quadratus lumborum"]["action"] == "Lateral flexion (side-bends) of the trunk"


def test_a_muscle_name_with_a_colon_heads_the_lines_below_it() -> None:
    found = _fields(
        "Iliopsoas\nThis is a combination of two muscles:\nIliacus:\nOrigin: Iliac fossa.\n"
        "Psoas Major:\nOrigin: Lumbar vertebrae.\n"
    )
    assert found == {
        "Iliacus": {"origin": "Iliac fossa"},
        "Psoas major": {"origin": "Lumbar vertebrae"},
    }


def test_a_full_sentence_below_a_labelled_line_is_not_the_value_wrapped() -> None:
    found = _fields(
        "Quadratus lumborum\nORIGIN - iliac crest\nACTIONS - lateral flexor of spine\n"
        "The QL also gives stability to the lumbar spine in two planes.\n"
    )
    assert found["Quadratus lumborum"]["action"] == "Lateral flexor of spine"


def test_a_section_ends_where_the_next_muscle_is_defined() -> None:
    found = _fields(
        "Hamstrings\n\nBiceps femoris NERVE SUPPLY:\n\nBiceps femoris is innervated by the "
        "sciatic nerve.\n\n   The semitendinosus is a long muscle. Its name comes from its "
        "tendon.\n\nSemitendinosus ORIGIN:\n\nIschial tuberosity.\n"
    )
    assert found["Biceps femoris"] == {"innervation": "Sciatic nerve"}


def test_a_page_for_lay_readers_states_facts_and_an_instruction_does_not() -> None:
    [fact] = prose_facts("The gluteus maximus originates on the crest of your pelvis.")
    assert (fact.field, fact.subject) == ("origin", "Gluteus maximus")
    assert prose_facts("Tilt your pelvis and you will feel the psoas stretch.") == []
