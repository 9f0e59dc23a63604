# Outreach Kit — français (complet).

app-title = Trousse d'approche
demo-banner = DÉMO — tous les dossiers sont fictifs et sont effacés à la fermeture de la fenêtre. Phrase de passe : { $passphrase }
translation-awaiting-review = Cette traduction attend la révision de locuteurs des communautés. Le texte manquant s'affiche en anglais.
error-generic = Un problème est survenu : { $detail }
action-undo = Annuler
action-dismiss = Fermer
action-lock = Verrouiller
choice-none = (aucun)

nav-home = Accueil
nav-new-intake = Nouvelle admission
nav-find = Rechercher
nav-sync = Synchroniser
nav-settings = Paramètres
status-pending = { $count ->
    [one] { $count } modification non synchronisée
   *[other] { $count } modifications non synchronisées
}

setup-title = Créer le profil de cet ordinateur
setup-explain = Les dossiers des clients sont chiffrés sur cet ordinateur. Choisissez une phrase de passe que vous seul connaissez : sans elle, personne ne peut les lire, pas même vous.
setup-passphrase = Phrase de passe
setup-confirm = Phrase de passe (encore)
setup-policy = Au moins { $min } caractères; plusieurs mots sans lien entre eux sont faciles à retenir et difficiles à deviner.
setup-mismatch = Les deux phrases de passe diffèrent.
setup-create = Créer le profil
setup-creating = Création du profil chiffré…
setup-enrol-optional = Facultatif : le code d'inscription remis par votre bureau relie tout de suite cet ordinateur à son nœud (possible aussi plus tard, à l'écran Synchroniser).
strength-0 = Robustesse : très faible
strength-1 = Robustesse : faible
strength-2 = Robustesse : moyenne
strength-3 = Robustesse : bonne
strength-4 = Robustesse : très bonne

unlock-title = Verrouillé
unlock-explain = Entrez la phrase de passe pour ouvrir les dossiers de cet ordinateur.
unlock-passphrase = Phrase de passe
unlock-button = Déverrouiller
unlock-busy = Vérification de la phrase de passe…
unlock-wrong = Cette phrase de passe n'est pas la bonne. Rien n'a été modifié.
unlock-damaged = Les fichiers du profil sont endommagés. Rien n'a été modifié; appelez votre bureau.
unlock-other = Le profil n'a pas pu être ouvert. Rien n'a été modifié; appelez votre bureau.

home-title = Visite
home-community = Communauté
home-site = Lieu
home-count-today = Admissions aujourd'hui
home-count-visit = Admissions pendant cette visite
home-count-records = Dossiers sur cet ordinateur
home-count-not-synced = Modifications non synchronisées
home-last-sync = Dernière synchronisation
home-never = jamais
home-link = Nœud
home-not-enrolled = pas encore relié
home-recovery = Copie de récupération de la clé au bureau
home-recovery-yes = oui
home-recovery-no = non (reliez cet ordinateur à un nœud qui en détient une)

intake-title = Nouvelle admission
intake-edit-title = Modifier le dossier
intake-save = Enregistrer
intake-saved = Enregistré sur cet ordinateur.
intake-problems = { $count ->
    [one] { $count } champ à corriger
   *[other] { $count } champs à corriger
}
intake-unconfirmed = Non enregistré : { $sections } rempli mais pas ajouté. Appuyez sur son bouton Ajouter, ou videz-le.
intake-possible-match = Client possiblement déjà inscrit — vérifiez avant de créer un nouveau dossier :
intake-open-match = Ouvrir

section-identity = Identité
section-languages = Langues
section-household = Ménage
section-programs = Programmes
section-consent = Consentement
section-referrals = Aiguillages
section-follow-ups = Suivis
section-notes = Notes

field-given-name = Prénom
field-family-name = Nom de famille
field-preferred-name = Nom d'usage
field-other-names = Autres noms et graphies (séparés par des virgules)
field-birth-year = Année de naissance
field-birth-month = Mois de naissance
field-birth-day = Jour de naissance
field-birth-approximate = Date de naissance approximative
field-date-of-birth = Date de naissance
field-gender = Sexe ou genre
field-gender-words = Selon les mots de la personne
field-community = Communauté
field-external-reference = Référence du formulaire papier ou de l'ancienne liste
field-band-number = Numéro de bande ou d'inscription
field-sin-last3 = NAS, trois derniers chiffres seulement
field-health-card-province = Province ou territoire de la carte santé
field-phone = Téléphone
field-address = Adresse postale
field-through-band-office = Joindre par le bureau de bande
field-spoken = Parle :
field-preferred-language = Langue préférée
field-interpreter-needed = Interprète nécessaire
field-interpreted-by = Interprétation par
field-life-event = Événement de vie
field-program = Programme
field-consent-partner = Consentement : partenaire
field-consent-purpose = Consentement : fin
field-consent-method = Consentement : manière
field-consent-witness = Témoin ou interprète
field-consent-date = Consentement : date
field-referral-partner = Aiguiller vers
field-referral-reason = Motif de l'aiguillage
field-referral-urgency = Urgence
field-follow-up-due = Suivi prévu le
field-follow-up-description = Suivi : quoi faire
field-new-note = Nouvelle note
field-satisfaction = Satisfaction (1 à 5)

gender-unset = (non demandé)
gender-female = Femme
gender-male = Homme
gender-two-spirit = Bispirituel
gender-another = Autre genre
gender-prefer-not = Préfère ne pas répondre

language-en = Anglais
language-fr = Français
language-iu = Inuktitut
language-cr = Cri
language-oj = Ojibwé
language-den = Déné

household-linked = { $count ->
    [one] Lié à { $count } membre du ménage.
   *[other] Lié à { $count } membres du ménage.
}
household-member = Membre du ménage { $number }
household-link-search = Lier un client existant : recherche
household-link-relationship = Le client lié est, pour le client,
household-link = Lier { $name } { $birth }
household-add = Ajouter un membre du ménage
household-member-invalid = Un membre du ménage doit avoir un prénom.
member-given-name = Membre { $number } : prénom
member-family-name = Membre { $number } : nom de famille
member-birth-year = Membre { $number } : date ou année de naissance
member-relationship = Membre { $number } : lien
member-remove = Retirer le membre { $number }
relationship-spouse = Conjoint ou partenaire
relationship-child = Enfant
relationship-parent = Parent
relationship-sibling = Frère ou sœur
relationship-grandparent = Grand-parent
relationship-grandchild = Petit-enfant
relationship-other-relative = Autre parent

program-add = Ajouter le programme
program-remove = Retirer { $program }
program-status-of = État : { $program }
program-documents-seen = Documents vus :
program-status-info-given = Information donnée
program-status-application-helped = Aide à la demande
program-status-submitted = Demande envoyée
program-status-referred = Aiguillé
program-status-done = Terminé

consent-grant = Consentement donné
consent-withdraw = Consentement retiré
consent-state-granted = consentement donné
consent-state-withdrawn = consentement retiré
consent-method-signed = Formulaire signé
consent-method-verbal-witness = Verbal, devant témoin
consent-method-verbal-interpreted = Verbal, par interprète

referral-add = Ajouter l'aiguillage
referral-status-of = État de l'aiguillage : { $partner }
referral-status-open = Ouvert
referral-status-sent = Envoyé
referral-status-accepted = Accepté
referral-status-closed = Fermé
referral-status-declined = Refusé
urgency-routine = Courant
urgency-soon = D'ici quelques jours
urgency-urgent = Urgent

follow-up-add = Ajouter le suivi

find-title = Rechercher
find-search = Chercher un nom ou une date de naissance
find-community = Filtre de communauté
find-all-communities = Toutes les communautés
find-follow-up-due = Suivi à faire
find-open-referrals = Aiguillages ouverts
find-not-synced = Non synchronisés
find-count = { $total ->
    [one] { $shown } dossier affiché sur { $total }
   *[other] { $shown } dossiers affichés sur { $total }
}
marker-conflict = modifications concurrentes
marker-referrals = { $count ->
    [one] { $count } aiguillage ouvert
   *[other] { $count } aiguillages ouverts
}
marker-not-synced = non synchronisé

detail-edit = Modifier
detail-print = Imprimer la fiche (PDF)
detail-printed = Fiche écrite dans { $path } — imprimez-la maintenant; elle est effacée au verrouillage.
detail-conflicts = { $count ->
    [one] { $count } champ a été modifié sur deux ordinateurs à la fois; le bureau tranchera.
   *[other] { $count } champs ont été modifiés sur deux ordinateurs à la fois; le bureau tranchera.
}
detail-conflicts-choose = { $count ->
    [one] { $count } champ a été modifié sur deux ordinateurs à la fois : gardez une valeur, ou saisissez la bonne.
   *[other] { $count } champs ont été modifiés sur deux ordinateurs à la fois : pour chacun, gardez une valeur, ou saisissez la bonne.
}
detail-mark-reviewed = Marquer comme révisé
detail-next-to-review = Suivant à réviser
detail-history = Historique
detail-history-created = a créé le dossier
detail-history-entry = { $when } — { $agent }, { $device } : { $fields }

sync-title = Synchroniser
sync-node = Relié à { $url }
sync-not-enrolled = Cet ordinateur n'est pas encore relié à un nœud. Collez le code remis par votre bureau.
sync-code = Code d'inscription
sync-enrol = Relier cet ordinateur
sync-pending = { $count ->
    [0] Rien n'attend l'envoi.
    [one] { $count } modification ({ $bytes }) attend l'envoi.
   *[other] { $count } modifications ({ $bytes }) attendent l'envoi.
}
sync-last = Dernière synchronisation : { $when }
sync-start = Synchroniser maintenant
sync-progress = { $sent } envoyés, { $received } reçus — { $left }
sync-seconds = environ { $seconds } s restantes
sync-time-unknown = estimation du temps restant
sync-synced = Synchronisé.
sync-report = { $sent ->
    [one] { $sent } modification envoyée
   *[other] { $sent } modifications envoyées
}, { $received ->
    [one] { $received } dossier reçu
   *[other] { $received } dossiers reçus
}, { $refused ->
    [0] aucune refusée par le nœud.
   *[other] { $refused } refusées par le nœud (retenues sur cet ordinateur, voir Rechercher › Retenus).
}
sync-failed = La synchronisation n'a pas abouti. Vos dossiers sont en sûreté sur cet ordinateur; réessayez quand le lien sera rétabli.

settings-title = Paramètres
settings-language = Langue
settings-text-size = Taille du texte
settings-idle-lock = Verrouiller après minutes d'inactivité (0 = jamais)
settings-idle-hint = L'ordinateur se verrouille seul quand personne ne l'utilise et masque tous les dossiers.
settings-bandwidth = Budget d'envoi
settings-bandwidth-hint = 0 = aussi vite que le lien le permet. Sur un lien satellite, un budget laisse de la place aux autres.
settings-shortcuts = Raccourcis : Ctrl+N nouvelle admission · Ctrl+S enregistrer · Ctrl+F rechercher · Ctrl+L verrouiller · Tab passe d'un champ à l'autre

slip-title = Fiche d'aiguillage et reçu de visite
slip-client = Client
slip-date = Date de la visite
slip-footer = Conservez cette fiche. Vos renseignements ne sont communiqués qu'aux partenaires que vous avez acceptés.

validation-required = Ce champ est obligatoire.
validation-too-long = Ce texte est trop long.
validation-invalid-date = Cette date n'existe pas.
validation-date-in-future = Une date de naissance ne peut pas être dans l'avenir.
validation-out-of-range = Ce nombre est hors limites.
validation-unknown-program = Ce programme n'est pas au catalogue.
validation-unknown-partner = Ce partenaire n'est pas au catalogue.
validation-unknown-community = Choisissez une communauté.
validation-sin-last-three-digits-only = N'inscrivez que les trois derniers chiffres du NAS.
validation-unknown-province = Utilisez un code de province ou de territoire à deux lettres (p. ex. NU).
validation-duplicate-id = Le même élément figure deux fois.
validation-links-to-self = Un dossier ne peut pas être membre de son propre ménage.
validation-unknown-superseded-event = Une décision de consentement renvoie à une autre que ce dossier n'a pas.

## Brouillons : formulaires d'admission gardés pendant la saisie (issue 10)
home-new-intake = Commencer une nouvelle admission
home-drafts = { $count ->
    [one] { $count } admission pas encore enregistrée
   *[other] { $count } admissions pas encore enregistrées
}
draft-no-name = (pas encore de nom)
draft-kind-new = nouveau client
draft-kind-edit = modifications d'un dossier
draft-updated = dernière saisie { $time }
draft-resume = Continuer
draft-discard = Abandonner…
draft-discard-confirm = Abandonner la saisie
draft-discard-cancel = La garder
draft-kept = Le formulaire en cours est gardé à l'accueil, parmi les admissions pas encore enregistrées.
nav-back-to-form = Retour au formulaire

## Un dossier en mots : qui, où, quel champ (issue 10)
action-back = Retour
section-other = Autres renseignements
field-spoken-list = Langues parlées
field-referral-status = État
field-program-status = État
who-you = vous
who-agent = agent { $number }
who-another-agent = un autre agent
who-unknown = inconnu
where-this-laptop = cet ordinateur
where-laptop = ordinateur { $number }
where-another-laptop = un autre ordinateur
value-yes = oui
value-no = non
value-empty = (vide)
value-group = (un groupe de champs)
value-unknown-code = (absent du catalogue de cet ordinateur)
detail-conflict-value = { $value } — saisi par { $agent } sur { $device }, { $when }
detail-documents-seen = documents vus : { $documents }
intake-conflicts = Certains champs ont reçu des valeurs différentes sur deux ordinateurs en même temps. Le formulaire en montre une; le bureau choisira. Enregistrer ici ajoute votre valeur sans effacer les autres.
intake-conflict-mark = deux valeurs ont été saisies ici; voir l'encadré en haut

## Modifications refusées par le nœud, gardées sur cet ordinateur (issue 10)
status-held = { $count ->
    [one] (!) { $count } modification retenue : refusée par le nœud
   *[other] (!) { $count } modifications retenues : refusées par le nœud
}
find-held = Retenus (refusés par le nœud)
marker-held = retenu : { $reason }
detail-held = Retenu sur cet ordinateur : { $reason }
detail-held-hint = Le nœud n'a pas accepté les dernières modifications de ce dossier. Elles sont gardées ici. Quand le bureau aura réglé la cause (par exemple ajouté la communauté à cet ordinateur), renvoyez-les et synchronisez.
held-resend = Renvoyer les modifications retenues à la prochaine synchronisation
held-resent = { $count ->
    [one] { $count } modification retenue partira à la prochaine synchronisation.
   *[other] { $count } modifications retenues partiront à la prochaine synchronisation.
}
refusal-outside-scope = hors des communautés de cet ordinateur
refusal-old-epoch = le dossier a été corrigé ou effacé au bureau depuis
refusal-malformed = la modification est illisible
refusal-not-author = la modification nomme un autre appareil
refusal-too-large = la modification est trop grande
refusal-invalid = le dossier ne serait pas valide
refusal-moves-community = seul le bureau peut déplacer un dossier vers une autre communauté
refusal-other = refusée pour une raison que cette version ne connaît pas

## Fiche d'orientation (issue 10)
slip-language = Langue de la fiche
slip-second-language = À côté, pour le partenaire
slip-agent = Agent de liaison
slip-office = Coordonnées du bureau
slip-referral-to = Orienté vers
slip-phone = Téléphone
slip-address = Adresse
slip-web = Web
slip-client-signature = Signature du client et date
slip-agent-signature = Signature de l'agent et date
detail-printed-opened = La fiche est ouverte dans la visionneuse : imprimez-la de là. Elle est supprimée au verrouillage.
settings-agent-name = Votre nom (imprimé sur les fiches)
settings-office-contact = Coordonnées du bureau (imprimées sur les fiches)

## Dates telles qu'on les tape (issue 10)
date-understood = = { $date }
date-ambiguous = Ceci peut se lire { $first } ou { $second } : écrivez le mois en lettres (15 déc. 2026) ou l'année d'abord (2026-12-15).
date-short-year = Écrivez l'année avec quatre chiffres.
date-not-a-date = Ce n'est pas une date : écrivez par exemple 15 déc. 2026, 15/12/2026 ou 2026-12-15.
date-in-words = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
member-programs = Programmes pour ce membre : { $programs }
date-year-only = = né(e) en { $year } (jour et mois inconnus)
referral-no-consent = Aucun consentement au dossier pour que ce partenaire donne suite à une orientation : consignez d'abord le consentement du client dans la section Consentement.
refusal-missing-history = elle s'appuie sur des modifications que le nœud n'a pas encore
refusal-office-only = seul le bureau peut fusionner des dossiers ou les marquer comme deux personnes
unlock-show-passphrase = Afficher la phrase de passe
unlock-caps-lock = Le verrouillage des majuscules semble activé.
intake-sections = Aller à :
home-follow-ups-due = { $count ->
    [one] { $count } suivi à faire : l'afficher
   *[other] { $count } suivis à faire : les afficher
}
find-column-name = Nom
find-column-follow-up = Prochain suivi
find-column-status = État
find-sorted-ascending = (croissant)
find-sorted-descending = (décroissant)
sync-finished = terminé
sync-held = { $count ->
    [one] 1 modification est retenue sur cet ordinateur : le nœud l'a refusée (Rechercher › Retenus dit pourquoi). Quand le bureau aura réglé la cause, renvoyez-la.
   *[other] { $count } modifications sont retenues sur cet ordinateur : le nœud les a refusées (Rechercher › Retenus dit pourquoi). Quand le bureau aura réglé la cause, renvoyez-les.
}
sync-synced-but-held = { $count ->
    [one] Synchronisé, mais { $count } modification reste retenue sur cet ordinateur : le nœud l'a refusée (Rechercher › Retenus dit pourquoi).
   *[other] Synchronisé, mais { $count } modifications restent retenues sur cet ordinateur : le nœud les a refusées (Rechercher › Retenus dit pourquoi).
}

# Bureau (issue 11) : offert seulement sur un appareil inscrit avec le rôle de bureau.
nav-office = Bureau
office-title = Bureau
office-tab-review = À réviser
office-tab-duplicates = Doublons possibles
office-tab-conflicts = Modifications en conflit
office-tab-due = À faire, toutes communautés
office-all-agents = Tous les agents
office-agent = Agent
office-created = Créé
office-since-any = N'importe quand
office-since-today = Aujourd'hui
office-since-week = Les 7 derniers jours
office-since-month = Les 30 derniers jours
office-review-count = { $count ->
    [0] Rien à réviser : chaque dossier a été révisé depuis sa dernière modification.
    [one] 1 dossier à réviser
   *[other] { $count } dossiers à réviser ({ $shown } affichés, les plus anciens d'abord)
}
office-mark-all-reviewed = Marquer tous ceux affichés comme révisés
office-mark-reviewed = Révisé
office-review-created = créé { $when } par { $agent }
office-review-changed = modifié { $when }
office-duplicates-searching = Comparaison de tous les dossiers…
office-duplicates-count = { $count ->
    [one] 1 paire de doublons possibles parmi { $records } dossiers
   *[other] { $count } paires de doublons possibles parmi { $records } dossiers
}
office-duplicates-none = Plus aucun doublon possible à trancher.
office-duplicates-only-later = Il ne reste que des paires remises à plus tard.
office-show-later = Afficher les paires remises à plus tard
office-pair-of = Paire { $number } sur { $count } — { $likelihood } % de chances que ce soit la même personne
office-pair-swapped = Les noms concordent seulement si le prénom et le nom de famille sont inversés.
office-merge = Même personne : fusionner
office-not-same = Pas la même personne
office-later = Plus tard
office-record-a = Premier dossier (ouvrir)
office-record-b = Second dossier (ouvrir)
office-evidence = Ce que l'outil de comparaison a vu
office-other-names = Autres noms et graphies
office-evidence-not-compared = non comparé (absent d'au moins un dossier)
office-evidence-agrees = concorde : { $level } ({ $weight })
office-evidence-differs = diffère : { $level } ({ $weight })
office-household-members = { $count ->
    [0] aucun membre lié
    [one] 1 membre lié
   *[other] { $count } membres liés
}
evidence-exact = identique
evidence-agree = identique
evidence-variant = une variante connue (diminutif, autre graphie ou écriture)
evidence-close = presque la même graphie
evidence-similar = une graphie semblable
evidence-mostly-same-words = presque les mêmes mots
evidence-some-same-words = quelques mots en commun
evidence-different = différent
evidence-swapped = jour et mois inversés
evidence-slip = un chiffre diffère
evidence-partial = seuls l'année ou le mois concordent
evidence-near = à moins d'un an d'écart
evidence-shared-member = un membre du ménage en commun
evidence-none-shared = aucun membre du ménage en commun
office-conflicts-count = { $fields ->
    [0] Aucune modification en conflit.
    [one] 1 champ en conflit dans { $records } dossier
   *[other] { $fields } champs en conflit dans { $records } dossiers
}
office-keep-value = Garder cette valeur
office-type-value = Ou saisir la bonne valeur :
office-use-typed = Utiliser ce que j'ai saisi
office-due-count = { $count ->
    [0] Rien à faire : aucune orientation ouverte, aucun suivi dû aujourd'hui ou avant.
    [one] 1 dossier avec du travail à faire
   *[other] { $count } dossiers avec du travail à faire
}
office-due-shown = Voici les { $shown } dus le plus tôt : choisissez une communauté pour voir les autres.
office-conflicts-shown = Voici les { $shown } dossiers qui attendent depuis le plus longtemps, sur { $total } : réglez-les pour voir les autres.
office-follow-up-today = Suivi dû aujourd'hui ({ $due }) : { $what }
office-follow-up-overdue = Suivi en retard depuis le { $due } : { $what }
office-referral-open = Orientation vers { $partner } : { $status }, { $urgency }, faite { $since }
office-merged = Fusionné : le dossier le plus ancien garde tout ce que les deux contenaient; l'autre renvoie vers lui sur chaque appareil après synchronisation.
office-marked-not-same = Marqués comme deux personnes différentes : la paire ne sera plus proposée.
office-not-same-undone = Annulé : la paire pourra être proposée de nouveau.
office-unmerged = La fusion est annulée : les deux dossiers revivent, chacun avec ce qu'il avait apporté.
office-reviewed = { $count ->
    [one] 1 dossier marqué comme révisé.
   *[other] { $count } dossiers marqués comme révisés.
}
office-settled = Conflit réglé : votre choix se synchronise comme toute modification.
office-settled-meanwhile = Ce champ a été réglé entre-temps; rien n'a été écrit.
detail-merged-here = { $name } a été fusionné dans ce dossier.
detail-unmerge = Annuler cette fusion

# Qui a ouvert ou modifié un dossier sur cet ordinateur (issue 12, son journal).
detail-access = Qui a ouvert ou modifié ce dossier sur cet ordinateur
detail-access-entry = { $when } — { $agent } : { $what }
access-view = l'a ouvert
access-create = l'a créé
access-edit = l'a modifié
access-consent-change = a consigné une décision de consentement
access-merge = l'a fusionné avec un autre dossier
access-unmerge = a annulé une fusion
access-not-same = a marqué un autre dossier comme une autre personne
access-settle = a réglé des modifications en conflit
access-export = l'a communiqué dans une exportation
access-print = a imprimé une fiche
access-other = a utilisé le profil

office-tab-reports = Rapports
report-intakes-per-week = Accueils par semaine
report-programs = Programmes demandés
report-languages = Langues servies
report-interpreters = Interprètes
report-referrals = Aiguillages
report-follow-ups = Suivis
report-satisfaction = Satisfaction
report-copy-csv = Copier ce tableau en CSV
report-nothing = Rien à compter pour cette période et cette communauté.
report-week-of = Semaine du { $week } — { $community }
report-interpreter-needed = Interprète nécessaire
report-interpreter-not-needed = Pas d’interprète
report-follow-up-overdue = En retard
report-follow-up-today = Pour aujourd’hui
report-follow-up-upcoming = À venir
report-chart = Graphique : { $title }, { $count ->
    [one] une barre
   *[other] { $count } barres
}
report-week = Semaine du { $week }
detail-print-access = Imprimer qui a ouvert ce dossier (PDF)
detail-printed-report = Rapport d'accès écrit dans { $path } — imprimez-le maintenant; il est effacé au verrouillage.
detail-printed-report-opened = Le rapport d'accès est ouvert dans la visionneuse : imprimez-le de là. Il est supprimé au verrouillage.
access-report-title = Qui a ouvert ou modifié ce dossier
access-report-printed = Imprimé le { $when }, d'après le journal d'audit de cet appareil.
access-report-count = { $count ->
    [one] Une entrée.
   *[other] { $count } entrées.
}
access-report-footer = Demandez au bureau les entrées des autres appareils et ce qui a été communiqué aux partenaires.
office-tab-exports = Exportations
export-intro = Exporter vers un partenaire, pour une fin, seulement les clients dont le consentement couvre les deux aujourd'hui. Le nœud décide et consigne une communication pour chaque client transmis; le fichier est scellé pour que seul le partenaire puisse l'ouvrir.
export-partner = Partenaire
export-purpose = Fin
export-recipient = Destinataire age du partenaire (age1…)
export-by = Exporté par
export-dry-run = Compter qui serait transmis
export-run = Exporter le fichier scellé
export-needs-recipient = Pour exporter le fichier, collez le destinataire age du partenaire (il commence par age1).
export-counted = Seraient transmis : { $released }; exclus : { $no_consent } sans consentement, { $withdrawn } retirés, { $expired } expirés. Rien n'a été consigné.
export-done = Transmis : { $released }; exclus : { $no_consent } sans consentement, { $withdrawn } retirés, { $expired } expirés. Le nœud a consigné une communication pour chaque client transmis.
export-columns = Colonnes : { $columns }
export-file = Fichier scellé conservé dans { $path }
disclosures-title = Ce qui a été communiqué aux partenaires (registre du nœud)
disclosures-list = Afficher ce qui a été communiqué à ce partenaire
disclosures-count = { $count ->
    [one] Une communication.
   *[other] { $count } communications.
}
disclosures-cut = Le nœud en a davantage qu'il n'en a envoyé; le registre complet s'imprime avec `sync-server disclosures`.
disclosures-row = { $when } — { $client } : communiqué à { $partner } pour { $purpose } (par { $by })
detail-register-title = Tous les appareils et tous les partenaires (selon le nœud)
detail-register-ask = Demander au nœud qui l'a ouvert sur chaque appareil, et ce qui a été communiqué
detail-register-access = { $when } — { $agent } sur { $device } : { $what }
detail-register-shared = { $when } — communiqué à { $partner } pour { $purpose } : { $fields } (par { $by })
detail-register-nothing-shared = Rien de ce dossier n'a été communiqué à un partenaire.
disclosures-when = Communiqué
access-report-shared = Communiqué aux partenaires
access-report-footer-complete = Ce rapport couvre chaque appareil synchronisé avec le bureau et chaque communication consignée par le bureau.
