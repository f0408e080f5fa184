export const CTO = "maria.keller@example.com";
export const VP_ENGINEERING = "dan.okafor@example.com";
export const HEAD_OF_PRODUCT = "priya.raman@example.com";
export const HEAD_OF_DATA = "lena.fischer@example.com";

/** Five people per team, in profile order: the assignees of its started work. */
const PEOPLE = [
  "amara.okoye",
  "ben.hartley",
  "chloe.martin",
  "diego.ramos",
  "elif.demir",
  "felix.braun",
  "grace.liu",
  "hugo.laurent",
  "ines.costa",
  "jonas.weber",
  "kai.nakamura",
  "lea.novak",
  "mateo.silva",
  "nina.petrov",
  "omar.haddad",
  "paula.santos",
  "quinn.obrien",
  "rosa.jimenez",
  "sami.virtanen",
  "tara.singh",
  "uma.krishnan",
  "victor.dubois",
  "wen.zhao",
  "yara.haddad",
  "zoe.fischer",
  "adam.kowalski",
  "bea.moreau",
  "carl.lindqvist",
  "dana.cohen",
  "emil.strand",
  "farah.aziz",
  "gustav.berg",
  "hana.sato",
  "ivo.marek",
  "julia.rossi",
];
export const TEAM_SIZE = 5;

/** The five people of the team at `teamIndex` in the demo's list of teams. */
export function peopleOf(teamIndex: number): readonly string[] {
  return Array.from(
    { length: TEAM_SIZE },
    (_, slot) => PEOPLE[(teamIndex * TEAM_SIZE + slot) % PEOPLE.length] ?? "",
  );
}
