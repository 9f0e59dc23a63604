# Outreach Kit — ᐃᓄᒃᑎᑐᑦ (syllabics). Core screens only; AWAITING COMMUNITY REVIEW.
# Draft wording by the development team, to be reviewed and corrected by Inuktitut speakers
# from the communities served. Messages not listed here are shown in English.

app-title = Outreach Kit · ᐃᑲᔪᖅᑐᐃᓂᖅ
translation-awaiting-review = ᑖᓐᓇ ᓄᐊᑦᑎᖅᓯᒪᔪᖅ ᕿᒥᕐᕈᐊᖅᑕᐅᖏᓚᖅ ᓄᓇᓕᖕᓂ ᐅᖃᖅᑎᓂᑦ. (This translation awaits community review; missing text is in English.)
action-lock = ᒪᑐᓗᒍ
choice-none = (ᐱᑕᖃᖏᑦᑐᖅ)

nav-home = ᐊᖏᕐᕋ
nav-new-intake = ᓄᑖᖅ ᐊᑎᓕᐅᕐᓂᖅ
nav-find = ᕿᓂᕐᓂᖅ
nav-sync = ᐊᔾᔨᒌᖅᑎᑦᑎᓂᖅ
nav-settings = ᐋᖅᑭᒋᐊᕐᓂᖅ

setup-title = ᓄᑖᖅ ᐊᑐᖅᑎᐅᑉ ᑐᑭᒧᐊᒍᑎᖓ
setup-passphrase = ᐃᑎᕐᕕᒃ ᐅᖃᐅᓯᖅ
setup-confirm = ᐃᑎᕐᕕᒃ ᐅᖃᐅᓯᖅ ᐊᑯᓂᐊᓪᓚᐃ
setup-create = ᓴᓇᓗᒍ
setup-mismatch = ᐃᑎᕐᕕᒃ ᐅᖃᐅᓰᒃ ᐊᔾᔨᒌᖏᒃᑲ.
strength-0 = ᓴᙱᓐᓂᖓ: ᓴᙱᑦᑐᐃᓐᓇᐅᙱᑦᑐᖅ
strength-1 = ᓴᙱᓐᓂᖓ: ᓴᙱᖏᑦᑐᖅ
strength-2 = ᓴᙱᓐᓂᖓ: ᓴᙱᓂᖅᓴᐅᙱᑦᑐᖅ
strength-3 = ᓴᙱᓐᓂᖓ: ᓴᙱᔪᖅ
strength-4 = ᓴᙱᓐᓂᖓ: ᓴᙱᔪᐊᓘᔪᖅ

unlock-title = ᒪᑐᔪᖅ
unlock-passphrase = ᐃᑎᕐᕕᒃ ᐅᖃᐅᓯᖅ
unlock-button = ᒪᑐᐃᕐᓗᒍ
unlock-wrong = ᐃᑎᕐᕕᒃ ᐅᖃᐅᓯᖅ ᓱᓕᙱᑦᑐᖅ. ᐊᓯᔾᔨᖅᑕᐅᓯᒪᙱᑦᑐᖅ.

home-title = ᐳᓛᕆᐊᕐᓂᖅ
home-community = ᓄᓇᓕᒃ
home-site = ᓇᔪᒐᖅ
home-count-today = ᐅᓪᓗᒥ ᐊᑎᓕᐅᖅᑕᐅᔪᑦ
home-count-visit = ᐳᓛᕆᐊᕐᓂᕐᒥ ᐊᑎᓕᐅᖅᑕᐅᔪᑦ
home-count-records = ᖃᕆᓴᐅᔭᕐᒥ ᑎᑎᕋᖅᓯᒪᔪᑦ
home-count-not-synced = ᐊᔾᔨᒌᖅᑎᑕᐅᙱᑦᑐᑦ
home-last-sync = ᑭᖑᓪᓕᖅᐹᒥ ᐊᔾᔨᒌᖅᑎᑦᑎᓂᖅ
home-never = ᐊᔾᔨᒌᖅᑎᑕᐅᓯᒪᙱᑦᑐᖅ

intake-title = ᓄᑖᖅ ᐊᑎᓕᐅᕐᓂᖅ
intake-edit-title = ᐋᖅᑭᒋᐊᕐᓗᒍ
intake-save = ᓴᐳᔾᔨᓗᒍ
intake-saved = ᓴᐳᔾᔭᐅᔪᖅ ᖃᕆᓴᐅᔭᕐᒥ.
section-identity = ᑭᓇᐅᓂᖓ
section-languages = ᐅᖃᐅᓯᑦ
section-household = ᐃᓪᓗᒥᐅᑦ
section-consent = ᐊᖏᕈᑎ
section-notes = ᑎᑎᕋᖅᓯᒪᔪᑦ
field-given-name = ᐊᑎᖓ
field-family-name = ᐃᓚᒌᑦ ᐊᑎᖓ
field-birth-year = ᐃᓅᕝᕕᐊ ᐊᕐᕌᒍᖓ
field-date-of-birth = ᐃᓅᕝᕕᐊ ᐅᓪᓗᖓ
field-community = ᓄᓇᓕᒃ
field-phone = ᐅᖄᓚᐅᑦ

find-title = ᕿᓂᕐᓂᖅ
find-search = ᕿᓂᕐᓗᒍ ᐊᑎᖓ ᐅᕝᕙᓘᓐᓃᑦ ᐃᓅᕝᕕᐊ ᐅᓪᓗᖓ
find-community = ᓄᓇᓕᒃ
find-all-communities = ᓄᓇᓖᑦ ᑐᑭᓕᒃ
find-not-synced = ᐊᔾᔨᒌᖅᑎᑕᐅᙱᑦᑐᑦ

sync-title = ᐊᔾᔨᒌᖅᑎᑦᑎᓂᖅ
sync-start = ᐊᔾᔨᒌᖅᑎᑦᑎᓗᒍ ᒫᓐᓇ
sync-synced = ᐊᔾᔨᒌᖅᑎᑕᐅᔪᖅ.

settings-title = ᐋᖅᑭᒋᐊᕐᓂᖅ
settings-language = ᐅᖃᐅᓯᖅ
settings-text-size = ᑎᑎᕋᐅᓯᐅᑉ ᐊᖏᓂᖓ

language-iu = ᐃᓄᒃᑎᑐᑦ
language-cr = ᓀᐦᐃᔭᐍᐏᐣ

# The referral slip handed to the client.
slip-title = ᐃᑲᔪᖅᑐᐃᓂᕐᒧᑦ ᑎᑎᕋᖅᓯᒪᔪᖅ ᐳᓛᕆᐊᕐᓂᕐᒧᓪᓗ ᓇᓗᓇᐃᖅᓯᒍᑎ
slip-client = ᐃᑲᔪᖅᑕᐅᔪᖅ
slip-date = ᐳᓛᕆᐊᕐᓂᐅᑉ ᐅᓪᓗᖓ
slip-footer = ᑖᓐᓇ ᑎᑎᕋᖅᓯᒪᔪᖅ ᐱᑐᑦᑎᐊᕐᓗᒍ. ᑎᑎᕋᖅᓯᒪᔫᑎᑦ ᑐᓂᓯᒪᔭᐅᓂᐊᖅᑐᑦ ᐊᖏᖅᓯᒪᔭᕐᓂᒃ ᐱᓕᕆᖃᑎᒋᔭᐅᔪᓂᑦ ᑭᓯᐊᓂ.
section-referrals = ᐃᑲᔪᖅᑎᓄᑦ ᑐᓂᔭᐅᓂᖅ
section-programs = ᐱᓕᕆᐊᖑᔪᑦ
section-follow-ups = ᒪᓕᒃᑕᐅᓂᐊᖅᑐᑦ
consent-state-granted = ᐊᖏᖅᓯᒪᔪᖅ
consent-state-withdrawn = ᐊᖏᕈᑎ ᐲᔭᖅᑕᐅᓯᒪᔪᖅ
