-- The SQLite schema at the head revision, written by `python -m flashcards_db.migrations.snapshot` from a database the migrations built.
;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)
;
CREATE TABLE decks (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	name VARCHAR(500) NOT NULL, 
	description TEXT, 
	source TEXT, 
	tags JSON NOT NULL, 
	html BOOLEAN NOT NULL, 
	source_path TEXT, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_decks PRIMARY KEY (id), 
	CONSTRAINT uq_decks_key UNIQUE ("key")
)
;
CREATE TABLE media (
	id INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	filename VARCHAR(100) NOT NULL, 
	original_name TEXT, 
	size INTEGER NOT NULL, 
	data BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_media PRIMARY KEY (id), 
	CONSTRAINT uq_media_filename UNIQUE (filename)
)
;
CREATE TABLE users (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, timezone VARCHAR(64), db_role VARCHAR(63), 
	CONSTRAINT pk_users PRIMARY KEY (id), 
	CONSTRAINT uq_users_name UNIQUE (name)
)
;
CREATE TABLE notes (
	id INTEGER NOT NULL, 
	deck_id INTEGER NOT NULL, 
	"key" VARCHAR(500) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	position INTEGER NOT NULL, 
	front TEXT NOT NULL, 
	back TEXT NOT NULL, 
	extra TEXT, 
	structure_key VARCHAR(200), 
	structure_name TEXT, 
	field VARCHAR(50), 
	meta JSON NOT NULL, 
	image VARCHAR(100), 
	tags JSON NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	content_changed_at DATETIME NOT NULL, 
	created_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT pk_notes PRIMARY KEY (id), 
	CONSTRAINT fk_notes_deck_id_decks FOREIGN KEY(deck_id) REFERENCES decks (id) ON DELETE CASCADE, 
	CONSTRAINT fk_notes_image_media FOREIGN KEY(image) REFERENCES media (filename) ON DELETE RESTRICT, 
	CONSTRAINT uq_notes_key UNIQUE ("key")
)
;
CREATE TABLE cards (
	id INTEGER NOT NULL, 
	note_id INTEGER NOT NULL, 
	ordinal INTEGER NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT pk_cards PRIMARY KEY (id), 
	CONSTRAINT fk_cards_note_id_notes FOREIGN KEY(note_id) REFERENCES notes (id) ON DELETE CASCADE, 
	CONSTRAINT uq_cards_note_id UNIQUE (note_id, ordinal)
)
;
CREATE TABLE reviews (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	card_id INTEGER NOT NULL, 
	reviewed_at DATETIME NOT NULL, 
	study_day DATE NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	quality INTEGER, 
	typed_answer TEXT, 
	duration_ms INTEGER, 
	undoes_id INTEGER, 
	repetitions_before INTEGER NOT NULL, 
	interval_before INTEGER NOT NULL, 
	easiness_before FLOAT NOT NULL, 
	due_before DATE, 
	lapses_before INTEGER NOT NULL, 
	repetitions_after INTEGER NOT NULL, 
	interval_after INTEGER NOT NULL, 
	easiness_after FLOAT NOT NULL, 
	due_after DATE, 
	lapses_after INTEGER NOT NULL, mode VARCHAR(20), leech_before BOOLEAN, leech_marked BOOLEAN, 
	CONSTRAINT pk_reviews PRIMARY KEY (id), 
	CONSTRAINT fk_reviews_card_id_cards FOREIGN KEY(card_id) REFERENCES cards (id) ON DELETE CASCADE, 
	CONSTRAINT fk_reviews_undoes_id_reviews FOREIGN KEY(undoes_id) REFERENCES reviews (id) ON DELETE CASCADE, 
	CONSTRAINT fk_reviews_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
)
;
CREATE TABLE confusions (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	card_id INTEGER NOT NULL, 
	confused_with_card_id INTEGER NOT NULL, 
	review_id INTEGER, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_confusions PRIMARY KEY (id), 
	CONSTRAINT fk_confusions_card_id_cards FOREIGN KEY(card_id) REFERENCES cards (id) ON DELETE CASCADE, 
	CONSTRAINT fk_confusions_confused_with_card_id_cards FOREIGN KEY(confused_with_card_id) REFERENCES cards (id) ON DELETE CASCADE, 
	CONSTRAINT fk_confusions_review_id_reviews FOREIGN KEY(review_id) REFERENCES reviews (id) ON DELETE CASCADE, 
	CONSTRAINT fk_confusions_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
)
;
CREATE TABLE "card_states" (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	card_id INTEGER NOT NULL, 
	repetitions INTEGER NOT NULL, 
	interval INTEGER NOT NULL, 
	easiness FLOAT NOT NULL, 
	due_day DATE, 
	last_review_day DATE, 
	lapses INTEGER NOT NULL, 
	reviews INTEGER NOT NULL, 
	suspended BOOLEAN NOT NULL, 
	buried_until DATE, 
	updated_at DATETIME NOT NULL, 
	leech BOOLEAN DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_card_states PRIMARY KEY (id), 
	CONSTRAINT fk_card_states_card_id_cards FOREIGN KEY(card_id) REFERENCES cards (id) ON DELETE CASCADE, 
	CONSTRAINT fk_card_states_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT uq_card_states_user_id UNIQUE (user_id, card_id)
)
;
CREATE TABLE settings (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	deck_key VARCHAR(200) NOT NULL, 
	name VARCHAR(50) NOT NULL, 
	value VARCHAR(200) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_settings PRIMARY KEY (id), 
	CONSTRAINT fk_settings_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT uq_settings_user_id UNIQUE (user_id, deck_key, name)
)
;
CREATE INDEX ix_decks_name ON decks (name)
;
CREATE INDEX ix_media_sha256 ON media (sha256)
;
CREATE INDEX ix_notes_deck_id ON notes (deck_id)
;
CREATE INDEX ix_notes_image ON notes (image)
;
CREATE INDEX ix_reviews_card_user ON reviews (card_id, user_id)
;
CREATE INDEX ix_reviews_user_day ON reviews (user_id, study_day)
;
CREATE INDEX ix_confusions_user_card ON confusions (user_id, card_id)
;
CREATE INDEX ix_card_states_card_id ON card_states (card_id)
;
CREATE UNIQUE INDEX ix_users_db_role ON users (db_role)
;
CREATE INDEX ix_card_states_user_due_card ON card_states (user_id, due_day, card_id)
;
CREATE INDEX ix_reviews_undoes_id ON reviews (undoes_id)
;
CREATE INDEX ix_reviews_user_id ON reviews (user_id, id)
;
INSERT INTO alembic_version (version_num) VALUES ('0006_review_leech_marks')
