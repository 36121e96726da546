-- Issue 13 item 7 (R8.4): every attachment is inspected before anyone else can download it.
-- Reviewers and bureaus get the disarmed copy (no JavaScript, actions or embedded files); the
-- secretariat and the applicant get the original. Rows stored before this migration have no
-- disarmed copy (NULL) and are not handed to reviewers until they are attached again.
ALTER TABLE application_attachments ADD COLUMN disarmed BLOB;
-- What the inspection found and what the disarmed copy lost: {"findings":{"pdf.javascript":1},
-- "removed":{"javascript":2}} (codes and counts only, no content).
ALTER TABLE application_attachments ADD COLUMN inspection TEXT NOT NULL DEFAULT '{}';
