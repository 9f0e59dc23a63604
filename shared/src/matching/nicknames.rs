//! Names known to be the same given name: English nicknames, French and English forms, and
//! Inuktitut and Cree adaptations of biblical and English names. A name may belong to several
//! groups (`chris` is Christopher and Christine). Folded spellings; the spelling key catches
//! the remaining spelling differences.
//!
//! Two sources: the groups below, written for this kit (every name in a group is the same name),
//! and `nicknames.csv`, the hand-curated English list of the `nicknames` project (Carlton
//! Northern and Nick Crews, Apache-2.0, <https://github.com/carltonnorthern/nicknames>), where a
//! formal name and each of its nicknames are the same name but two nicknames of one formal name
//! are not (Aaron is Erin and Ron; Erin is not Ron).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Groups in which every name is the same name as every other.
const GROUPS: &[&[&str]] = &[
    &[
        "william",
        "bill",
        "billy",
        "will",
        "willie",
        "willy",
        "liam",
        "guillaume",
        "wilhelm",
    ],
    &["robert", "bob", "bobby", "rob", "robbie", "bert", "roberto"],
    &[
        "elizabeth",
        "elisabeth",
        "liz",
        "lizzie",
        "beth",
        "betty",
        "bess",
        "eliza",
        "lisa",
        "elise",
        "elisapee",
        "elisapie",
        "ilisapi",
        "lisi",
        "babette",
        "betsy",
    ],
    &[
        "margaret",
        "maggie",
        "meg",
        "peggy",
        "marguerite",
        "margot",
        "margo",
        "greta",
        "magi",
    ],
    &[
        "katherine",
        "catherine",
        "kathryn",
        "kate",
        "katie",
        "kathy",
        "cathy",
        "kat",
        "kay",
        "katarina",
        "kitty",
    ],
    &[
        "john", "jack", "johnny", "jon", "jean", "jaani", "juani", "joanasie", "jonah", "jonas",
        "ivan", "juan", "johan", "sean", "shawn",
    ],
    &[
        "jane",
        "jeanne",
        "joan",
        "janet",
        "jenny",
        "jeannette",
        "janie",
        "jaan",
    ],
    &[
        "joseph", "joe", "joey", "jos", "jose", "josie", "juusipi", "joosie", "josepi",
    ],
    &["josephine", "josee", "jo", "josie", "fifi"],
    &[
        "james", "jim", "jimmy", "jamie", "jacques", "jamesie", "jamisi", "jaimie", "jaime",
        "diego", "jago",
    ],
    &[
        "peter", "pete", "pierre", "piita", "pita", "peeta", "peetah", "pietro", "petrus",
    ],
    &[
        "mary", "marie", "maria", "mali", "mialie", "mari", "maryse", "mimi", "molly", "polly",
        "marija",
    ],
    &[
        "michael", "mike", "mikey", "mick", "michel", "mikael", "miguel", "misiki",
    ],
    &[
        "stephen", "steven", "steve", "stephane", "etienne", "stevie", "stefan",
    ],
    &["andrew", "andy", "drew", "andre", "andreas", "aanturi"],
    &["henry", "harry", "hank", "henri", "enrique", "heinrich"],
    &["louis", "lewis", "lou", "luis", "louie", "luui"],
    &["louise", "louisa", "lou", "lulu", "luisa"],
    &[
        "charles", "charlie", "chuck", "chaz", "carlos", "karl", "carl", "charley", "saali",
    ],
    &[
        "richard", "rick", "ricky", "dick", "rich", "richie", "ricardo",
    ],
    &[
        "thomas", "tom", "tommy", "thom", "tomas", "tuumasi", "tumasi",
    ],
    &["anthony", "tony", "antoine", "antonio", "anton"],
    &[
        "christopher",
        "chris",
        "kit",
        "christophe",
        "cristobal",
        "topher",
    ],
    &[
        "christine",
        "christina",
        "chris",
        "tina",
        "kristin",
        "kristina",
        "christy",
        "kristi",
    ],
    &["daniel", "dan", "danny", "dani", "taniel"],
    &[
        "david", "dave", "davey", "davie", "davidee", "taviti", "tavi",
    ],
    &[
        "edward", "ed", "eddie", "ted", "teddy", "ned", "edouard", "eduardo",
    ],
    &["samuel", "sam", "sammy", "saimi", "samueli", "samson"],
    &["benjamin", "ben", "benny", "benji"],
    &[
        "alexander",
        "alex",
        "al",
        "sandy",
        "alexandre",
        "sasha",
        "xander",
        "alec",
    ],
    &[
        "alexandra",
        "alex",
        "sandra",
        "sandy",
        "alexandrine",
        "sasha",
    ],
    &["nicholas", "nick", "nicky", "nicolas", "nico", "klaus"],
    &["patrick", "pat", "paddy", "patrice", "rick"],
    &["patricia", "pat", "patty", "trish", "tricia", "patsy"],
    &[
        "matthew", "matt", "mathieu", "matthieu", "mattias", "maatiusi", "matiusi", "mateo",
    ],
    &["gregory", "greg", "gregoire", "grigor"],
    &["timothy", "tim", "timmy", "timothee"],
    &["kenneth", "ken", "kenny"],
    &["ronald", "ron", "ronnie"],
    &["donald", "don", "donnie"],
    &["jennifer", "jen", "jenny", "jenn"],
    &["jessica", "jess", "jessie"],
    &[
        "susan", "sue", "susie", "suzanne", "suzie", "susanna", "suzette",
    ],
    &["deborah", "debbie", "deb", "debra"],
    &["barbara", "barb", "babs"],
    &["dorothy", "dot", "dottie", "dorothee", "dora"],
    &[
        "rebecca",
        "becky",
        "becca",
        "ooleepeeka",
        "ulipika",
        "oleepika",
        "rebekah",
    ],
    &["victoria", "vicky", "tori", "victoire"],
    &["jacqueline", "jackie", "jacquie", "jacki"],
    &["isabelle", "isabel", "bella", "izzy", "isobel", "ysabel"],
    &["gabrielle", "gaby", "gabby", "gabriela"],
    &["gabriel", "gabe", "gaby", "gabi"],
    &["veronique", "veronica", "vero", "ronnie"],
    &["nathalie", "natalie", "nat", "natasha", "talia"],
    &["frances", "francoise", "fran", "frannie", "francine"],
    &[
        "francis",
        "francois",
        "frank",
        "frankie",
        "franco",
        "francesco",
    ],
    &["philip", "philippe", "phil", "pip", "felipe"],
    &["theresa", "therese", "teresa", "tess", "terry", "tessa"],
    &["helen", "helene", "ellen", "nell", "lena", "elena", "hilda"],
    &[
        "anne", "ann", "anna", "annie", "aani", "ani", "anita", "nancy", "annette", "hannah",
        "anouk",
    ],
    &["sarah", "sara", "sally", "sadie", "saara", "sali", "salome"],
    &["martha", "marta", "maata", "marthe", "mattie", "patty"],
    &["paul", "paulo", "pauloosie", "paulusi", "pablo", "paulie"],
    &[
        "simon", "simeon", "simeonie", "simionie", "simi", "siimiuni",
    ],
    &["lucas", "luke", "luc", "lucassie", "lukasi", "luka"],
    &["mark", "marc", "marcus", "marco", "maaki"],
    &["leah", "lea", "lia", "liia"],
    &["miriam", "mirriam", "mialia", "miriami"],
    &["eva", "eve", "eevee", "iva", "evie"],
    &["moses", "moise", "moosa", "moshe", "mosesie", "mosesee"],
    &["abraham", "abe", "aipilie", "apraham", "aperaham"],
    &["isaac", "isaaci", "aisa", "ike", "isak"],
    &["jacob", "jake", "jacobie", "jaikopi", "iakopi", "jacques"],
    &["noah", "nuah", "noa", "nuua"],
    &["lazarus", "lazarusie", "laisa", "lasalusi"],
    &["joshua", "josh", "joshuasie", "juusua"],
    &["adam", "aatami", "adamie", "atami"],
    &["elijah", "eli", "elisha", "ilaija", "elie"],
    &["solomon", "sol", "solomonie", "saalamuni"],
    &["naomi", "naumi", "nomi"],
    &["lydia", "litia", "lidia"],
    &["julia", "julie", "juliette", "julienne", "juli"],
    &["cecilia", "cecile", "cecily", "cissy", "sisilia"],
    &["dominic", "dominique", "dom", "nic"],
    &["emily", "emilie", "em", "emmy", "emilia"],
    &["amelia", "amelie", "amalia"],
    &["evelyn", "evelyne", "eve", "evie", "lyn"],
    &["raymond", "ray", "raymonde", "ramon"],
    &["joanne", "joann", "joanna", "jo", "johanne", "johanna"],
    &["ernest", "ernie", "ernesto"],
    &["albert", "al", "bert", "bertie", "alberto"],
    &["arthur", "art", "artie"],
    &["leonard", "leo", "len", "lenny", "leonardo", "leon"],
    &["lawrence", "laurent", "larry", "laurie", "lorenzo"],
    &["gerald", "gerry", "jerry", "gerard", "gerardo"],
    &["walter", "walt", "wally", "gauthier"],
    &["frederick", "fred", "freddie", "frederic", "fritz"],
    &["eugene", "gene", "eugenio"],
    &["georges", "george", "georgie", "jorge", "juurji"],
    &["agnes", "aggie", "nessa", "inez"],
    &["marjorie", "marge", "margie", "marjory"],
    &["caroline", "carol", "carrie", "carolyn", "carole", "lina"],
    &["virginia", "ginny", "ginger", "virginie"],
    &[
        "madeleine",
        "madeline",
        "maddie",
        "madelyn",
        "magdalene",
        "lena",
    ],
    &["genevieve", "gen", "genny", "vivi"],
    &["sylvie", "sylvia", "silvie"],
    &["simone", "simona", "mona"],
    &["jeremy", "jeremie", "jerry", "jeremiah"],
];

/// `formal,has_nickname,nickname` lines, with a header line.
const NICKNAMES_CSV: &str = include_str!("nicknames.csv");

/// A group of names that are one name, and whether a member is the group's centre: two names
/// of a group are the same name when either is a centre (every member of the kit's own groups is).
struct Table {
    groups: Vec<Vec<(&'static str, bool)>>,
    of_name: HashMap<&'static str, Vec<(u32, bool)>>,
}

impl Table {
    fn add(&mut self, members: Vec<(&'static str, bool)>) {
        let id = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        for &(name, centre) in &members {
            self.of_name.entry(name).or_default().push((id, centre));
        }
        self.groups.push(members);
    }
}

/// Whether a name from the list is already a folded single word (a few are initials, `k.c.`).
fn is_folded_word(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase())
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table {
            groups: Vec::new(),
            of_name: HashMap::new(),
        };
        for group in GROUPS {
            table.add(group.iter().map(|name| (*name, true)).collect());
        }
        let mut by_formal: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for line in NICKNAMES_CSV.lines().skip(1) {
            let mut fields = line.split(',');
            let (Some(formal), Some("has_nickname"), Some(nickname)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            if !is_folded_word(formal) || !is_folded_word(nickname) || formal == nickname {
                continue;
            }
            match by_formal.last_mut() {
                Some((last, nicknames)) if *last == formal => nicknames.push(nickname),
                _ => by_formal.push((formal, vec![nickname])),
            }
        }
        for (formal, nicknames) in by_formal {
            let mut members = vec![(formal, true)];
            members.extend(nicknames.into_iter().map(|n| (n, false)));
            table.add(members);
        }
        table
    })
}

/// Whether two folded given names are known forms of one name.
#[must_use]
pub fn same_name(a: &str, b: &str) -> bool {
    let of_name = &table().of_name;
    let (Some(a), Some(b)) = (of_name.get(a), of_name.get(b)) else {
        return false;
    };
    a.iter().any(|&(group, a_centre)| {
        b.iter()
            .any(|&(g, b_centre)| g == group && (a_centre || b_centre))
    })
}

/// Every other known form of a folded given name (for search: `bill` also looks up `william`).
/// A form may come more than once.
pub fn variants_of(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    let table = table();
    let groups = table
        .of_name
        .get(name)
        .map(Vec::as_slice)
        .unwrap_or_default();
    groups.iter().flat_map(move |&(group, centre)| {
        table.groups[group as usize]
            .iter()
            .filter(move |&&(member, member_centre)| member != name && (centre || member_centre))
            .map(|&(member, _)| member)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_folded_lowercase() {
        for group in GROUPS {
            for name in *group {
                assert_eq!(crate::text::fold(name), *name);
            }
        }
    }

    #[test]
    fn nicknames_and_language_forms_are_the_same_name() {
        assert!(same_name("bill", "guillaume"));
        assert!(same_name("benjamin", "bennie"));
        assert!(same_name("jezza", "jeremy"));
        assert!(same_name("nollie", "olivia"));
        assert!(same_name("elisapee", "liz"));
        assert!(same_name("peeta", "peter"));
        assert!(!same_name("bill", "margaret"));
        assert!(variants_of("bob").any(|n| n == "robert"));
    }

    #[test]
    fn two_nicknames_of_one_formal_name_are_not_one_name() {
        assert!(same_name("aaron", "erin") && same_name("aaron", "ron"));
        assert!(!same_name("erin", "ron"));
        assert!(!variants_of("erin").any(|n| n == "ron"));
        assert!(variants_of("erin").any(|n| n == "aaron"));
    }

    #[test]
    fn the_public_list_is_read_whole() {
        let lines = NICKNAMES_CSV.lines().count() - 1;
        let pairs: usize = table()
            .groups
            .iter()
            .skip(GROUPS.len())
            .map(|g| g.len() - 1)
            .sum();
        // All but the few initials (`k.c.`) and a name listed as its own nickname.
        assert!(pairs + 10 > lines && pairs <= lines, "{pairs} of {lines}");
    }
}
