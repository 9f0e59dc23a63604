# Outreach Kit — English (complete; the reference for every other language).

app-title = Outreach Kit
demo-banner = DEMO — every record here is fictional and is deleted when the window closes. Passphrase: { $passphrase }
translation-awaiting-review = This translation awaits review by speakers from the communities. Missing text is shown in English.
error-generic = Something went wrong: { $detail }
action-undo = Undo
action-dismiss = Dismiss
action-lock = Lock
choice-none = (none)

nav-home = Home
nav-new-intake = New intake
nav-find = Find
nav-sync = Sync
nav-settings = Settings
status-pending = { $count ->
    [one] 1 change not synced
   *[other] { $count } changes not synced
}

setup-title = Create this laptop's profile
setup-explain = Client records are kept encrypted on this laptop. Choose a passphrase only you know; without it nobody can read them, and neither can you.
setup-passphrase = Passphrase
setup-confirm = Passphrase again
setup-policy = Use at least { $min } characters; several unrelated words are easy to remember and hard to guess.
setup-mismatch = The two passphrases differ.
setup-create = Create profile
setup-creating = Creating the encrypted profile…
setup-enrol-optional = Optional: the enrolment code from your office links this laptop to its node now (you can also do it later on the Sync screen).
strength-0 = Strength: very weak
strength-1 = Strength: weak
strength-2 = Strength: fair
strength-3 = Strength: strong
strength-4 = Strength: very strong

unlock-title = Locked
unlock-explain = Enter the passphrase to open the records on this laptop.
unlock-passphrase = Passphrase
unlock-button = Unlock
unlock-busy = Checking the passphrase…
unlock-wrong = That passphrase is not right. Nothing was changed.
unlock-damaged = The profile files are damaged. Nothing was changed; call your office.
unlock-other = The profile could not be opened. Nothing was changed; call your office.

home-title = Visit
home-community = Community
home-site = Site
home-count-today = Intakes today
home-count-visit = Intakes this visit
home-count-records = Records on this laptop
home-count-not-synced = Changes not yet synced
home-last-sync = Last sync
home-never = never
home-link = Node
home-not-enrolled = not linked yet
home-recovery = Office recovery copy of the key
home-recovery-yes = yes
home-recovery-no = no (link this laptop to a node that holds one)

intake-title = New intake
intake-edit-title = Edit record
intake-save = Save
intake-saved = Saved on this laptop.
intake-problems = { $count ->
    [one] 1 field needs attention
   *[other] { $count } fields need attention
}
intake-unconfirmed = Not saved: { $sections } filled in but not added. Press its Add button, or clear it.
intake-possible-match = Possible existing client — check before creating a new record:
intake-open-match = Open

section-identity = Identity
section-languages = Languages
section-household = Household
section-programs = Programs
section-consent = Consent
section-referrals = Referrals
section-follow-ups = Follow-ups
section-notes = Notes

field-given-name = Given name
field-family-name = Family name
field-preferred-name = Preferred name
field-other-names = Other names and spellings (comma between)
field-birth-year = Birth year
field-birth-month = Birth month
field-birth-day = Birth day
field-birth-approximate = Date of birth is approximate
field-date-of-birth = Date of birth
field-gender = Sex or gender
field-gender-words = In the person's words
field-community = Community
field-external-reference = Paper form or legacy reference
field-band-number = Band or registry number
field-sin-last3 = SIN, last three digits only
field-health-card-province = Health card province or territory
field-phone = Phone
field-address = Mailing address
field-through-band-office = Reach through the band office
field-spoken = Speaks:
field-preferred-language = Preferred language
field-interpreter-needed = Interpreter needed
field-interpreted-by = Interpreted by
field-life-event = Life event
field-program = Program
field-consent-partner = Consent: partner
field-consent-purpose = Consent: purpose
field-consent-method = Consent: how given
field-consent-witness = Witness or interpreter
field-consent-date = Consent: date
field-referral-partner = Refer to
field-referral-reason = Reason for referral
field-referral-urgency = Urgency
field-follow-up-due = Follow-up due
field-follow-up-description = Follow-up: what to do
field-new-note = New note
field-satisfaction = Satisfaction (1–5)

gender-unset = (not asked)
gender-female = Female
gender-male = Male
gender-two-spirit = Two-Spirit
gender-another = Another gender
gender-prefer-not = Prefers not to say

language-en = English
language-fr = French
language-iu = Inuktitut
language-cr = Cree
language-oj = Ojibwe
language-den = Dene

household-linked = { $count ->
    [one] Linked to 1 household member.
   *[other] Linked to { $count } household members.
}
household-member = Household member { $number }
household-link-search = Link an existing client: search
household-link-relationship = Linked client is the client's
household-link = Link { $name } { $birth }
household-add = Add household member
household-member-invalid = A household member needs a given name.
member-given-name = Member { $number }: given name
member-family-name = Member { $number }: family name
member-birth-year = Member { $number }: date of birth, or the year
member-relationship = Member { $number }: relationship
member-remove = Remove member { $number }
relationship-spouse = Spouse or partner
relationship-child = Child
relationship-parent = Parent
relationship-sibling = Sibling
relationship-grandparent = Grandparent
relationship-grandchild = Grandchild
relationship-other-relative = Other relative

program-add = Add program
program-remove = Remove { $program }
program-status-of = Status: { $program }
program-documents-seen = Documents seen:
program-status-info-given = Information given
program-status-application-helped = Helped with the application
program-status-submitted = Application submitted
program-status-referred = Referred
program-status-done = Done

consent-grant = Record consent given
consent-withdraw = Record consent withdrawn
consent-state-granted = consent given
consent-state-withdrawn = consent withdrawn
consent-method-signed = Signed form
consent-method-verbal-witness = Verbal, with a witness
consent-method-verbal-interpreted = Verbal, through an interpreter

referral-add = Add referral
referral-status-of = Referral status: { $partner }
referral-status-open = Open
referral-status-sent = Sent
referral-status-accepted = Accepted
referral-status-closed = Closed
referral-status-declined = Declined
urgency-routine = Routine
urgency-soon = Within days
urgency-urgent = Urgent

follow-up-add = Add follow-up

find-title = Find
find-search = Search names or date of birth
find-community = Community filter
find-all-communities = All communities
find-follow-up-due = Follow-up due
find-open-referrals = Open referrals
find-not-synced = Not synced
find-count = { $total ->
    [one] Showing { $shown } of 1 record
   *[other] Showing { $shown } of { $total } records
}
marker-conflict = conflicting edits
marker-referrals = { $count ->
    [one] 1 open referral
   *[other] { $count } open referrals
}
marker-not-synced = not synced

detail-edit = Edit
detail-print = Print slip (PDF)
detail-printed = Slip written to { $path } — print it now; it is deleted when the laptop locks.
detail-conflicts = { $count ->
    [one] 1 field was changed on two laptops at once; the office will choose.
   *[other] { $count } fields were changed on two laptops at once; the office will choose.
}
detail-conflicts-choose = { $count ->
    [one] 1 field was changed on two laptops at once: keep one value, or type the right one.
   *[other] { $count } fields were changed on two laptops at once: for each, keep one value, or type the right one.
}
detail-mark-reviewed = Mark as reviewed
detail-next-to-review = Next to review
detail-history = History
detail-history-created = created the record
detail-history-entry = { $when } — { $agent }, { $device }: { $fields }

sync-title = Sync
sync-node = Linked to { $url }
sync-not-enrolled = This laptop is not linked to a node yet. Paste the code your office gave you.
sync-code = Enrolment code
sync-enrol = Link this laptop
sync-pending = { $count ->
    [0] Nothing waits to be sent.
    [one] 1 change ({ $bytes }) waits to be sent.
   *[other] { $count } changes ({ $bytes }) wait to be sent.
}
sync-last = Last sync: { $when }
sync-start = Sync now
sync-progress = { $sent } sent, { $received } received — { $left }
sync-seconds = about { $seconds } s left
sync-time-unknown = estimating time left
sync-synced = Synced.
sync-report = { $sent ->
    [one] Sent 1 change
   *[other] Sent { $sent } changes
}, { $received ->
    [one] received 1 record
   *[other] received { $received } records
}, { $refused ->
    [0] none refused by the node.
   *[other] { $refused } refused by the node (held on this laptop, see Find › Held).
}
sync-failed = The sync did not finish. Your records are safe on this laptop; try again when the link is back.

settings-title = Settings
settings-language = Language
settings-text-size = Text size
settings-idle-lock = Lock after idle minutes (0 = never)
settings-idle-hint = The laptop locks itself when nobody uses it, and hides every record.
settings-bandwidth = Upload budget
settings-bandwidth-hint = 0 = as fast as the link allows. On a satellite link, a budget leaves room for others.
settings-shortcuts = Shortcuts: Ctrl+N new intake · Ctrl+S save · Ctrl+F find · Ctrl+L lock · Tab moves between fields

slip-title = Referral slip and visit receipt
slip-client = Client
slip-date = Date of visit
slip-footer = Keep this slip. Your information is shared only with the partners you agreed to.

validation-required = This field is required.
validation-too-long = This text is too long.
validation-invalid-date = This is not a real date.
validation-date-in-future = A date of birth cannot be in the future.
validation-out-of-range = This number is out of range.
validation-unknown-program = This program is not in the catalogue.
validation-unknown-partner = This partner is not in the catalogue.
validation-unknown-community = Choose a community.
validation-sin-last-three-digits-only = Record only the last three digits of the SIN.
validation-unknown-province = Use a two-letter province or territory code (e.g. NU).
validation-duplicate-id = The same item appears twice.
validation-links-to-self = A record cannot be its own household member.
validation-unknown-superseded-event = A consent decision refers to one this record does not have.

## Drafts: intake forms kept as they are typed (issue 10)
home-new-intake = Start a new intake
home-drafts = { $count ->
    [one] 1 intake not saved yet
   *[other] { $count } intakes not saved yet
}
draft-no-name = (no name yet)
draft-kind-new = new client
draft-kind-edit = changes to a record
draft-updated = last typed { $time }
draft-resume = Continue
draft-discard = Discard…
draft-discard-confirm = Discard what was typed
draft-discard-cancel = Keep it
draft-kept = The form you were typing is kept on Home, under intakes not saved yet.
nav-back-to-form = Back to the form

## A record in words: who, where, which field (issue 10)
action-back = Back
section-other = Other details
field-spoken-list = Spoken languages
field-referral-status = Status
field-program-status = Status
who-you = you
who-agent = agent { $number }
who-another-agent = another agent
who-unknown = unknown
where-this-laptop = this laptop
where-laptop = laptop { $number }
where-another-laptop = another laptop
value-yes = yes
value-no = no
value-empty = (empty)
value-group = (a group of fields)
value-unknown-code = (not in this laptop's catalogue)
detail-conflict-value = { $value } — entered by { $agent } on { $device }, { $when }
detail-documents-seen = documents seen: { $documents }
intake-conflicts = Some fields hold values entered on different laptops at the same time. The form shows one; the office will choose. Saving here adds your value, it does not remove the others.
intake-conflict-mark = two values were entered here; see the box at the top

## Changes the node refused, held on this laptop (issue 10)
status-held = { $count ->
    [one] (!) 1 change held: refused by the node
   *[other] (!) { $count } changes held: refused by the node
}
find-held = Held (refused by the node)
marker-held = held: { $reason }
detail-held = Held on this laptop: { $reason }
detail-held-hint = The node did not take this record's latest changes. They are kept here. Once the office has fixed the cause (for example added the community to this laptop), resend them and sync.
held-resend = Resend held changes at the next sync
held-resent = { $count ->
    [one] 1 held change goes out with the next sync.
   *[other] { $count } held changes go out with the next sync.
}
refusal-outside-scope = outside this laptop's communities
refusal-old-epoch = the record was corrected or erased at the office since
refusal-malformed = the change could not be read
refusal-not-author = the change names another device
refusal-too-large = the change is too large
refusal-invalid = the record would not be valid
refusal-moves-community = only the office may move a record to another community
refusal-other = refused for a reason this version does not know

## Referral slip (issue 10)
slip-language = Slip language
slip-second-language = Beside it, for the partner
slip-agent = Outreach agent
slip-office = Office contact
slip-referral-to = Referred to
slip-phone = Phone
slip-address = Address
slip-web = Web
slip-client-signature = Client signature and date
slip-agent-signature = Agent signature and date
detail-printed-opened = The slip is open in the viewer: print it from there. It is deleted when the laptop locks.
settings-agent-name = Your name (printed on slips)
settings-office-contact = Office contact (printed on slips)

## Dates as people type them (issue 10)
date-understood = = { $date }
date-ambiguous = This could be { $first } or { $second }: type the month as a word (15 Dec 2026) or the year first (2026-12-15).
date-short-year = Type the year with four digits.
date-not-a-date = Not a date: type it as 15 Dec 2026, 15/12/2026 or 2026-12-15.
date-in-words = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
member-programs = Programs for this member: { $programs }
date-year-only = = born in { $year } (day and month not known)
referral-no-consent = No consent on file for this partner to act on a referral: record the client's consent in the Consent section first.
refusal-missing-history = it builds on changes the node does not have yet
refusal-office-only = only the office can merge records or mark them as different people
unlock-show-passphrase = Show the passphrase
unlock-caps-lock = Caps Lock seems to be on.
intake-sections = Go to:
home-follow-ups-due = { $count ->
    [one] 1 follow-up due: show it
   *[other] { $count } follow-ups due: show them
}
find-column-name = Name
find-column-follow-up = Next follow-up
find-column-status = Status
find-sorted-ascending = (ascending)
find-sorted-descending = (descending)
sync-finished = done
sync-held = { $count ->
    [one] 1 change is held on this laptop: the node refused it (Find › Held says why). Once the office has fixed the cause, resend it.
   *[other] { $count } changes are held on this laptop: the node refused them (Find › Held says why). Once the office has fixed the cause, resend them.
}
sync-synced-but-held = { $count ->
    [one] Synced, but 1 change stays held on this laptop: the node refused it (Find › Held says why).
   *[other] Synced, but { $count } changes stay held on this laptop: the node refused them (Find › Held says why).
}

# Office (issue 11): offered only on a device enrolled with the office role.
nav-office = Office
office-title = Office
office-tab-review = Review queue
office-tab-duplicates = Possible duplicates
office-tab-conflicts = Conflicting edits
office-tab-due = Due in all communities
office-all-agents = All agents
office-agent = Agent
office-created = Created
office-since-any = Any time
office-since-today = Today
office-since-week = The last 7 days
office-since-month = The last 30 days
office-review-count = { $count ->
    [0] Nothing to review: every record was reviewed since its last change.
    [one] 1 record to review
   *[other] { $count } records to review (showing { $shown }, oldest first)
}
office-mark-all-reviewed = Mark all shown as reviewed
office-mark-reviewed = Reviewed
office-review-created = created { $when } by { $agent }
office-review-changed = changed { $when }
office-duplicates-searching = Comparing every record…
office-duplicates-count = { $count ->
    [one] 1 possible duplicate pair among { $records } records
   *[other] { $count } possible duplicate pairs among { $records } records
}
office-duplicates-none = No possible duplicates left to decide.
office-duplicates-only-later = Only pairs put off for later are left.
office-show-later = Show the pairs put off
office-pair-of = Pair { $number } of { $count } — { $likelihood } % likely the same person
office-pair-swapped = The names agree only with given and family names swapped.
office-merge = Same person: merge
office-not-same = Not the same person
office-later = Later
office-record-a = First record (open)
office-record-b = Second record (open)
office-evidence = What the matcher saw
office-other-names = Other names and spellings
office-evidence-not-compared = not compared (not on both records)
office-evidence-agrees = agrees: { $level } ({ $weight })
office-evidence-differs = differs: { $level } ({ $weight })
office-household-members = { $count ->
    [0] no members linked
    [one] 1 member linked
   *[other] { $count } members linked
}
evidence-exact = the same
evidence-agree = the same
evidence-variant = a known variant (nickname, other spelling or script)
evidence-close = nearly the same spelling
evidence-similar = a similar spelling
evidence-mostly-same-words = mostly the same words
evidence-some-same-words = some words in common
evidence-different = different
evidence-swapped = day and month swapped
evidence-slip = one digit differs
evidence-partial = only the year or month agrees
evidence-near = less than a year apart
evidence-shared-member = a household member in common
evidence-none-shared = no household member in common
office-conflicts-count = { $fields ->
    [0] No conflicting edits.
    [one] 1 conflicting field in { $records } record
   *[other] { $fields } conflicting fields in { $records } records
}
office-keep-value = Keep this value
office-type-value = Or type the right value:
office-use-typed = Use what I typed
office-due-count = { $count ->
    [0] Nothing due: no open referral and no follow-up due today or earlier.
    [one] 1 record with work due
   *[other] { $count } records with work due
}
office-due-shown = Showing the { $shown } due earliest: choose a community to see the others.
office-conflicts-shown = Showing the { $shown } records waiting longest of { $total }: settle these to see the others.
office-follow-up-today = Follow-up due today ({ $due }): { $what }
office-follow-up-overdue = Follow-up overdue since { $due }: { $what }
office-referral-open = Referral to { $partner }: { $status }, { $urgency }, made { $since }
office-merged = Merged: the older record keeps everything from both; the other now points to it on every device after sync.
office-marked-not-same = Marked as two different people: the pair will not be proposed again.
office-not-same-undone = Taken back: the pair may be proposed again.
office-unmerged = The merge is undone: both records live again, each with what it brought.
office-reviewed = { $count ->
    [one] 1 record marked reviewed.
   *[other] { $count } records marked reviewed.
}
office-settled = Conflict settled: your choice syncs like any edit.
office-settled-meanwhile = That field was settled meanwhile; nothing was written.
detail-merged-here = { $name } was merged into this record.
detail-unmerge = Undo this merge

# Who opened or changed a record on this laptop (issue 12, its audit entries).
detail-access = Who opened or changed this record on this laptop
detail-access-entry = { $when } — { $agent }: { $what }
access-view = opened it
access-create = created it
access-edit = changed it
access-consent-change = recorded a consent decision
access-merge = merged it with another record
access-unmerge = undid a merge
access-not-same = marked another record as a different person
access-settle = settled conflicting edits
access-export = released it in an export
access-print = printed a slip
access-other = used the profile

office-tab-reports = Reports
report-intakes-per-week = Intakes per week
report-programs = Programs requested
report-languages = Languages served
report-interpreters = Interpreters
report-referrals = Referrals
report-follow-ups = Follow-ups
report-satisfaction = Satisfaction
report-copy-csv = Copy this table as CSV
report-nothing = Nothing to count for this period and community.
report-week-of = Week of { $week } — { $community }
report-interpreter-needed = Interpreter needed
report-interpreter-not-needed = No interpreter needed
report-follow-up-overdue = Overdue
report-follow-up-today = Due today
report-follow-up-upcoming = Upcoming
report-chart = Chart: { $title }, { $count ->
    [one] one bar
   *[other] { $count } bars
}
report-week = Week of { $week }
detail-print-access = Print who opened this record (PDF)
detail-printed-report = Access report written to { $path } — print it now; it is deleted when the laptop locks.
detail-printed-report-opened = The access report is open in the viewer: print it from there. It is deleted when the laptop locks.
access-report-title = Who opened or changed this file
access-report-printed = Printed { $when }, from this device's audit trail.
access-report-count = { $count ->
    [one] One entry.
   *[other] { $count } entries.
}
access-report-footer = Ask the office for the entries of other devices and for what was shared with partners.
office-tab-exports = Exports
export-intro = Export to a partner, for a purpose, only the clients whose consent covers both today. The node decides and records one disclosure for each client released; the file is sealed so that only the partner can open it.
export-partner = Partner
export-purpose = Purpose
export-recipient = Partner's age recipient (age1…)
export-by = Exported by
export-dry-run = Count who would be released
export-run = Export the sealed file
export-needs-recipient = To export the file, paste the partner's age recipient (it starts with age1).
export-counted = Would release { $released }; left out: { $no_consent } without consent, { $withdrawn } withdrawn, { $expired } expired. Nothing was recorded.
export-done = Released { $released }; left out: { $no_consent } without consent, { $withdrawn } withdrawn, { $expired } expired. The node recorded a disclosure for each client released.
export-columns = Columns: { $columns }
export-file = Sealed file kept at { $path }
disclosures-title = What was shared with partners (the node's register)
disclosures-list = List what was shared with this partner
disclosures-count = { $count ->
    [one] One disclosure.
   *[other] { $count } disclosures.
}
disclosures-cut = The node holds more than it sent; the whole register is printed by `sync-server disclosures`.
disclosures-row = { $when } — { $client }: shared with { $partner } for { $purpose } (by { $by })
detail-register-title = Every device and every partner (asked of the node)
detail-register-ask = Ask the node who opened it on every device, and what was shared
detail-register-access = { $when } — { $agent } on { $device }: { $what }
detail-register-shared = { $when } — shared with { $partner } for { $purpose }: { $fields } (by { $by })
detail-register-nothing-shared = Nothing of this record was shared with a partner.
disclosures-when = Shared
access-report-shared = Shared with partners
access-report-footer-complete = This report lists every device that synced with the office and every disclosure the office recorded.
