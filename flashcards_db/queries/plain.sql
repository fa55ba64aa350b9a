-- The SQLite text of the queries `flashcards status` runs without SQLAlchemy, compiled
-- from the query functions' own statements by
-- `python -m flashcards_db.queries.plain_source` (a test holds the two equal): not
-- edited by hand. A parameter "$name" is the value given by that name.
-- schema revision: 0006_review_leech_marks
;
-- query: user
-- params: ["$user_name"]
SELECT users.id, users.timezone 
FROM users 
WHERE users.name = ?
;
-- query: setting
-- params: ["$user_name", "", "$name"]
SELECT settings.value 
FROM settings JOIN users ON users.id = settings.user_id 
WHERE users.name = ? AND settings.deck_key = ? AND settings.name = ?
;
-- query: todays_reviews
-- params: ["$user_id", "$day", "review", "redrill", "undo"]
SELECT reviews.id, reviews.card_id, reviews.kind, reviews.quality, reviews.interval_before 
FROM reviews 
WHERE reviews.user_id = ? AND reviews.study_day = ? AND reviews.kind IN (?, ?) AND NOT (EXISTS (SELECT * 
FROM reviews AS reviews_1 
WHERE reviews_1.undoes_id = reviews.id AND reviews_1.kind = ?)) ORDER BY reviews.id
;
-- query: studyable_cards
-- params: ["$user_id", "$card_ids"]
SELECT cards.id 
FROM cards JOIN notes ON cards.note_id = notes.id JOIN decks ON notes.deck_id = decks.id LEFT OUTER JOIN card_states ON card_states.card_id = cards.id AND card_states.user_id = ? 
WHERE cards.retired_at IS NULL AND notes.retired_at IS NULL AND cards.id IN (__[POSTCOMPILE_$card_ids]) AND (card_states.suspended IS NULL OR card_states.suspended IS 0)
;
-- query: due_count
-- params: ["$user_id", "$day", "$day"]
SELECT count(*) AS count_1 
FROM (SELECT cards.id AS id 
FROM cards JOIN notes ON cards.note_id = notes.id JOIN decks ON notes.deck_id = decks.id JOIN card_states ON card_states.card_id = cards.id 
WHERE cards.retired_at IS NULL AND notes.retired_at IS NULL AND card_states.user_id = ? AND card_states.due_day <= ? AND card_states.suspended IS 0 AND (card_states.buried_until IS NULL OR card_states.buried_until <= ?)) AS anon_1
;
-- query: due_count_excluding
-- params: ["$user_id", "$day", "$day", "$excluding"]
SELECT count(*) AS count_1 
FROM (SELECT cards.id AS id 
FROM cards JOIN notes ON cards.note_id = notes.id JOIN decks ON notes.deck_id = decks.id JOIN card_states ON card_states.card_id = cards.id 
WHERE cards.retired_at IS NULL AND notes.retired_at IS NULL AND card_states.user_id = ? AND card_states.due_day <= ? AND card_states.suspended IS 0 AND (card_states.buried_until IS NULL OR card_states.buried_until <= ?) AND (card_states.card_id NOT IN (__[POSTCOMPILE_$excluding]))) AS anon_1
;
-- query: new_count
-- params: ["$user_id", "$limit", 0]
SELECT count(*) AS count_1 
FROM (SELECT cards.id AS id 
FROM cards JOIN notes ON cards.note_id = notes.id 
WHERE cards.retired_at IS NULL AND notes.retired_at IS NULL AND NOT (EXISTS (SELECT * 
FROM card_states 
WHERE card_states.card_id = cards.id AND card_states.user_id = ? AND (card_states.due_day IS NOT NULL OR card_states.suspended IS 1))) ORDER BY cards.id DESC
 LIMIT ? OFFSET ?) AS anon_1
;
-- query: study_days
-- params: ["$user_id", "$user_id", "$user_id", "review", "redrill", "undo"]
WITH RECURSIVE days(day) AS 
(SELECT min(reviews.study_day) AS day 
FROM reviews 
WHERE reviews.user_id = ? UNION ALL SELECT (SELECT min(reviews_1.study_day) AS min_1 
FROM reviews AS reviews_1 
WHERE reviews_1.user_id = ? AND reviews_1.study_day > days.day) AS anon_1 
FROM days 
WHERE days.day IS NOT NULL)
 SELECT days.day 
FROM days 
WHERE days.day IS NOT NULL AND (EXISTS (SELECT * 
FROM reviews AS reviews_2 
WHERE reviews_2.user_id = ? AND reviews_2.study_day = days.day AND reviews_2.kind IN (?, ?) AND NOT (EXISTS (SELECT * 
FROM reviews AS reviews_3 
WHERE reviews_3.undoes_id = reviews_2.id AND reviews_3.kind = ?)))) ORDER BY days.day
;
