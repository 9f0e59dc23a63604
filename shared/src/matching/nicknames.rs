//! Names known to be the same given name: English nicknames, French and English forms, and
//! Inuktitut and Cree adaptations of biblical and English names. A name may belong to several
//! groups (`chris` is Christopher and Christine). Folded spellings; the spelling key catches
//! the remaining spelling differences.

use std::collections::HashMap;
use std::sync::OnceLock;

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

fn groups_of() -> &'static HashMap<&'static str, Vec<u16>> {
    static MAP: OnceLock<HashMap<&'static str, Vec<u16>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<u16>> = HashMap::new();
        for (i, group) in GROUPS.iter().enumerate() {
            let id = u16::try_from(i).unwrap_or(u16::MAX);
            for name in *group {
                map.entry(name).or_default().push(id);
            }
        }
        map
    })
}

/// Whether two folded given names are known forms of one name.
#[must_use]
pub fn same_name(a: &str, b: &str) -> bool {
    let map = groups_of();
    match (map.get(a), map.get(b)) {
        (Some(x), Some(y)) => x.iter().any(|g| y.contains(g)),
        _ => false,
    }
}

/// Every other known form of a folded given name (for search: `bill` also looks up `william`).
pub fn variants_of(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    let groups = groups_of().get(name).map(Vec::as_slice).unwrap_or_default();
    groups
        .iter()
        .flat_map(|g| GROUPS[usize::from(*g)].iter().copied())
        .filter(move |n| *n != name)
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
        assert!(same_name("elisapee", "liz"));
        assert!(same_name("peeta", "peter"));
        assert!(!same_name("bill", "robert"));
        assert!(variants_of("bob").any(|n| n == "robert"));
    }
}
