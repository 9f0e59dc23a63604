# Outreach Kit — ᓀᐦᐃᔭᐍᐏᐣ (Cree, syllabics). Core screens only; AWAITING COMMUNITY REVIEW.
# Draft wording by the development team, to be reviewed and corrected by Cree speakers from
# the communities served. Messages not listed here are shown in English.

app-title = Outreach Kit · ᐑᒋᐦᐃᐍᐏᐣ
translation-awaiting-review = ᐆᒪ ᑭᐦᒋ ᐊᔭᒥᐦᒋᑫᐏᐣ ᓇᐢᑕᐍ ᑲ ᑲᓇᐌᔨᐦᑕᑭᐣ. (This translation awaits community review; missing text is in English.)
action-lock = ᑭᐹᐦᐊᒼ
choice-none = (ᓇᒨᔭ ᑫᑯᕀ)

nav-home = ᐐᑭᐏᐣ
nav-new-intake = ᐅᐢᑭ ᒪᓯᓇᐦᐃᑫᐏᐣ
nav-find = ᓇᓇᑕᐚᐸᐦᑕᒼ
nav-sync = ᐯᔭᑿᐣ ᐃᑐᑕᒧᐏᐣ
nav-settings = ᐃᓯᓈᑯᐦᑖᐏᐣ

setup-title = ᐅᐢᑭ ᐊᐱᒋᐦᒋᑲᐣ
setup-passphrase = ᑭᒧᒋ ᐊᔭᒥᐏᐣ
setup-confirm = ᑭᒧᒋ ᐊᔭᒥᐏᐣ ᑭᐦᑲᓂᐠ
setup-create = ᐅᔑᐦᑕ
setup-mismatch = ᓇᒨᔭ ᐯᔭᑿᐣ ᐃᑕᐱᐦᒋᑭᐣ.
strength-0 = ᒪᐢᑲᐍᔨᐦᑕᒧᐏᐣ: ᓇᒨᔭ ᒪᐢᑲᐍᐤ
strength-1 = ᒪᐢᑲᐍᔨᐦᑕᒧᐏᐣ: ᓇᒨᔭ ᒥᓯᐍ ᒪᐢᑲᐍᐤ
strength-2 = ᒪᐢᑲᐍᔨᐦᑕᒧᐏᐣ: ᐸᐦᑭ ᒪᐢᑲᐍᐤ
strength-3 = ᒪᐢᑲᐍᔨᐦᑕᒧᐏᐣ: ᒪᐢᑲᐍᐤ
strength-4 = ᒪᐢᑲᐍᔨᐦᑕᒧᐏᐣ: ᒥᓯᐍ ᒪᐢᑲᐍᐤ

unlock-title = ᑭᐹᐦᐊᒼ
unlock-passphrase = ᑭᒧᒋ ᐊᔭᒥᐏᐣ
unlock-button = ᔫᐦᑌᓇ
unlock-wrong = ᓇᒨᔭ ᑕᐯᐧ ᐆᒪ ᑭᒧᒋ ᐊᔭᒥᐏᐣ. ᓇᒨᔭ ᑫᑯᕀ ᐊᔭᐢᑕᐦᐊᐠ.

home-title = ᒌᐋᐚᓯᐏᐣ
home-community = ᐃᐦᑖᐏᐣ
home-site = ᐃᑖᐦᑕᐠ
home-count-today = ᐊᓄᐦᒌᐦᑳᐠ ᒪᓯᓇᐦᐃᑫᐏᓇ
home-count-records = ᒪᓯᓇᐦᐃᑲᓇ ᐅᑕ
home-count-not-synced = ᓇᒨᔭ ᐯᔭᑿᐣ ᐃᑐᑕᒼ
home-last-sync = ᑭᔮᐢᑦ ᐯᔭᑿᐣ ᐃᑐᑕᒧᐏᐣ
home-never = ᓇᒨᔭ ᐋᐱᐦᑕᐤ

intake-title = ᐅᐢᑭ ᒪᓯᓇᐦᐃᑫᐏᐣ
intake-edit-title = ᐋᐦᒋ ᒪᓯᓇᐦᐊ
intake-save = ᑲᓇᐌᔨᐦᑕ
intake-saved = ᑲᓇᐌᔨᐦᑕᒫᐣ.
section-identity = ᐊᐍᓇ ᐅᑕ
section-languages = ᐱᑭᐢᑵᐏᓇ
section-household = ᐐᑭᐦᑐᐏᐣ
section-consent = ᐋᐦᑯᑌᐏᐣ
section-notes = ᒪᓯᓇᐦᐃᑫᐏᓇ
field-given-name = ᐃᓯᔨᐦᑳᓱᐏᐣ
field-family-name = ᐚᐦᑯᐦᑐᐏᐣ ᐃᓯᔨᐦᑳᓱᐏᐣ
field-birth-year = ᐋᐦᒋ ᓂᐢᑲᑕᒫᐏᐣ ᐊᐢᑭᕀ
field-date-of-birth = ᓂᐢᑲᑕᒫᐏᐣ ᑭᔑᑲᐤ
field-community = ᐃᐦᑖᐏᐣ
field-phone = ᑭᐢᑭᓯᑲᐣ

find-title = ᓇᓇᑕᐚᐸᐦᑕᒼ
find-search = ᓇᓇᑕᐚᐸᐦᑕ ᐃᓯᔨᐦᑳᓱᐏᐣ
find-community = ᐃᐦᑖᐏᐣ
find-all-communities = ᑲᐦᑭᔭᐤ ᐃᐦᑖᐏᓇ
find-not-synced = ᓇᒨᔭ ᐯᔭᑿᐣ ᐃᑐᑕᒼ

sync-title = ᐯᔭᑿᐣ ᐃᑐᑕᒧᐏᐣ
sync-start = ᐯᔭᑿᐣ ᐃᑐᑕ ᐊᓄᐦᒌᐠ
sync-synced = ᐯᔭᑿᐣ ᐃᑐᑕᒫᐣ.

settings-title = ᐃᓯᓈᑯᐦᑖᐏᐣ
settings-language = ᐱᑭᐢᑵᐏᐣ
settings-text-size = ᒪᓯᓇᐦᐃᑫᐏᐣ ᐃᔑ ᒥᓯᑎᐦᐊᐠ

language-iu = ᐃᓄᒃᑎᑐᑦ
language-cr = ᓀᐦᐃᔭᐍᐏᐣ

# The referral slip handed to the client.
slip-title = ᐃᑕᐦᐊᒧᐏᐣ ᒪᓯᓇᐦᐃᑲᐣ ᐁᑿ ᒌᐋᐚᓯᐏᐣ
slip-client = ᐊᐍᓇ
slip-date = ᒌᐋᐚᓯᐏᐣ ᑭᔑᑲᐤ
slip-footer = ᑲᓇᐌᔨᐦᑕ ᐆᒪ ᒪᓯᓇᐦᐃᑲᐣ. ᑭᑕᒋᒧᐏᓇ ᐊᔭᐦᐃᑕᐃᐧᐣ ᐃᐦᑭᐣ ᑕᐣᓯ ᑲ ᐋᐦᑯᑌᔨᐦᑕᒪᐣ ᐊᐃᐧᔭᑭ.
section-referrals = ᐃᑕᐦᐊᒧᐏᓇ
section-programs = ᐊᐱᒋᐦᒋᑲᓇ
section-follow-ups = ᑲ ᐊᐢᑕᐦᐊᑭ
consent-state-granted = ᐋᐦᑯᑌᔨᐦᑕᒼ
consent-state-withdrawn = ᐋᐦᑯᑌᔨᐦᑕᒧᐏᐣ ᐊᐧᐸᐦᐊᒼ
