/**
 * French administrative and commercial text that is NOT health data, for the health
 * vocabulary's false-positive test: invoices, property diagnostics ("diagnostic de performance
 * énergétique"), word processing ("traitement de texte"), car and home insurance, HR letters,
 * municipal notices, IT and hi-fi orders, court registry notices, a GDPR processing register.
 * Many sentences hold words that are health words only in context (diagnostic, traitement,
 * examen, assuré, consultation, enceinte, dépression, plaquettes, greffe, lithium…) and never a
 * word that is a health term on its own. Built from templates with a seeded generator: the same
 * seed gives the same text. Every name, number and address is synthetic.
 */

import { seededRandom } from "../../src/demo/synthetic.js";

const SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre"];
const FIRST = ["Léa", "Chloé", "Hélène", "Noémie", "Jérôme", "François", "Gaël", "Benoît", "Zoé", "Théo"];
const TOWNS = ["Rennes", "Angers", "Besançon", "Nîmes", "Quimper", "Colmar", "Épinal", "Périgueux", "Évreux", "Sète"];
const STREETS = ["rue des Lilas", "avenue Jean-Jaurès", "place de la Mairie", "chemin des Écoliers", "quai Voltaire"];
const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "septembre", "octobre", "novembre", "décembre"];
const COMPANIES = ["Dupont SARL", "Atelier Moreau", "Batiplus", "Informatique Services", "Transports Leroy"];

type Pick = <T>(list: readonly T[]) => T;

/** One sentence per call; `n` a small random integer, `pick` a random element. */
const TEMPLATES: ((pick: Pick, n: (max: number) => number) => string)[] = [
  // Invoices and orders
  (pick, n) =>
    `Facture n° F-${2024}-${n(9000) + 1000} du ${n(28) + 1} ${pick(MONTHS)} : montant total ${n(900) + 100},${n(90) + 10} € TTC, à régler sous 30 jours.`,
  (pick, n) =>
    `Commande ${n(90000) + 10000} : enceinte Bluetooth ${n(40) + 10} W, câble HDMI et barrette mémoire DDR${pick([3, 4, 5])} de ${pick([8, 16, 32])} Go.`,
  (pick) =>
    `Livraison prévue chez ${pick(COMPANIES)} : ordinateur portable avec batterie lithium-ion et écran de 15 pouces.`,
  (pick, n) =>
    `Atelier ${pick(SURNAMES)} : remplacement des plaquettes de frein avant et des disques, ${n(200) + 120} € pièces et main-d'œuvre.`,
  (pick) =>
    `Garage du ${pick(["Centre", "Port", "Lac"])} : diagnostic électronique du véhicule offert pour toute vidange.`,
  (_pick, n) => `Devis n° D-${n(9000) + 1000} : ${n(40) + 5} plaquettes de présentation imprimées en quadrichromie.`,
  (pick) => `Ingrédients : farine de blé, sucre, sirop de glucose, beurre, sel. Fabriqué par ${pick(COMPANIES)}.`,
  (_pick, n) =>
    `Coopérative agricole : livraison de ${n(20) + 2} tonnes d'engrais, ammonitrate et urée à ${n(30) + 20} %.`,
  (pick) =>
    `Le service après-vente de ${pick(COMPANIES)} prend en charge le traitement de votre réclamation sous huit jours.`,
  (pick, n) =>
    `Relevé de compte du ${n(28) + 1}-SEP-2024 : prélèvement SEPA de ${n(90) + 10} € au profit de ${pick(COMPANIES)}.`,
  // Property diagnostics and real estate
  (pick) =>
    `Le diagnostic de performance énergétique du logement situé ${pick(STREETS)} à ${pick(TOWNS)} donne la classe ${pick(["B", "C", "D", "E"])}.`,
  (pick) =>
    `Le dossier de diagnostic technique du bien de ${pick(TOWNS)} comprend les diagnostics amiante, plomb, termites, gaz et électricité.`,
  (pick) =>
    `Le diagnostiqueur a relevé des pathologies du bâtiment : fissures en façade et remontées capillaires à ${pick(TOWNS)}.`,
  (pick, n) =>
    `Appartement T${n(4) + 2} de ${n(60) + 40} m² à ${pick(TOWNS)}, traitement de la charpente contre les insectes réalisé.`,
  (pick) => `Le traitement de l'eau de la piscine de ${pick(TOWNS)} est assuré par un électrolyseur au sel.`,
  (pick) => `La maison de ${pick(TOWNS)} comprend une dépendance aménagée en atelier et un garage double.`,
  // Word processing and IT
  (pick) => `Poste basé à ${pick(TOWNS)} : maîtrise du traitement de texte, du tableur et de la messagerie exigée.`,
  () => "Le logiciel de traitement d'images exporte les fichiers au format PNG et PDF.",
  (pick) => `Le virus informatique détecté sur le poste de ${pick(FIRST)} a été supprimé par l'antivirus.`,
  (_pick, n) =>
    `Le traitement par lots des factures s'exécute chaque nuit à ${n(5) + 1} h sur le serveur de production.`,
  () => "L'examen des journaux applicatifs montre une injection SQL bloquée par le pare-feu.",
  () => "Le scanner du service courrier numérise les documents reçus avant leur archivage.",
  // Insurance of cars and homes
  (pick, n) =>
    `L'assuré déclare le sinistre survenu le ${n(28) + 1} ${pick(MONTHS)} : bris de glace sur le véhicule immatriculé ${pick(["AB", "CD", "EF"])}-${n(900) + 100}-${pick(["GH", "JK", "LM"])}.`,
  (pick) => `Votre contrat d'assurance habitation couvre le dégât des eaux, l'incendie et le vol au ${pick(STREETS)}.`,
  (pick) =>
    `Les assurés de l'agence de ${pick(TOWNS)} disposent de trente jours pour contester l'expertise du véhicule.`,
  (_pick, n) => `Franchise de ${n(500) + 150} € en cas de sinistre responsable, bonus de ${n(50)} % conservé.`,
  () => "La garantie assistance prévoit le remorquage du véhicule en cas de panne ou d'accident de la route.",
  // HR letters
  (pick) =>
    `Madame ${pick(SURNAMES)}, nous avons le plaisir de vous confirmer votre embauche en contrat à durée indéterminée.`,
  (pick) =>
    `${pick(FIRST)}, votre période d'essai prendra fin après un examen de vos objectifs avec votre responsable.`,
  (pick) => `Chez ${pick(COMPANIES)}, l'adhésion à la mutuelle d'entreprise est obligatoire, sauf cas de dispense.`,
  (pick) =>
    `${pick(FIRST)} ${pick(SURNAMES)} a été reçu à l'examen du permis de conduire et à l'examen du code de la route.`,
  () => "Pendant le congé de maternité ou de paternité, le contrat de travail est suspendu.",
  (pick) => `L'entretien annuel de ${pick(MONTHS)} porte sur le bilan de l'année et les formations souhaitées.`,
  () => "Après la consultation du comité social et économique, le nouveau règlement intérieur entre en vigueur.",
  () => "La rupture conventionnelle a été signée d'un commun accord, à la satisfaction mutuelle des parties.",
  // Municipal notices
  (pick) =>
    `Avis de consultation publique : le projet de plan local d'urbanisme de ${pick(TOWNS)} est consultable en mairie.`,
  (pick) => `Travaux sur le réseau HTA : coupure d'électricité ${pick(STREETS)} de 8 h à 12 h.`,
  (pick) => `Une dépression atlantique apportera des pluies et du vent fort sur ${pick(TOWNS)} ce week-end.`,
  (pick) => `La fête de la musique se tiendra dans l'enceinte du stade municipal de ${pick(TOWNS)}.`,
  (pick) => `Le marché de ${pick(TOWNS)} est déplacé sur la place de la Mairie pendant les travaux de voirie.`,
  (pick) => `À ${pick(TOWNS)}, les bacs jaunes sont collectés le mardi, les encombrants le premier jeudi du mois.`,
  (pick) => `Le conseil municipal de ${pick(TOWNS)} a voté le budget primitif et les tarifs de la cantine.`,
  (pick) => `L'amputation des crédits de l'État oblige ${pick(TOWNS)} à reporter la rénovation du gymnase.`,
  () => "Les pompiers rappellent l'interdiction de brûler les déchets verts dans les jardins.",
  // Courts and companies
  (pick) => `Les statuts de ${pick(COMPANIES)} ont été déposés au greffe du tribunal de commerce de ${pick(TOWNS)}.`,
  (_pick, n) => `Le traitement du dossier par le greffe prend environ ${n(3) + 2} semaines après réception des pièces.`,
  () => "L'ordonnance du juge des référés a été signifiée aux parties par commissaire de justice.",
  () => "Le délai de prescription de l'action court à compter de la date de livraison.",
  // A GDPR processing register
  (pick) =>
    `Registre des traitements de ${pick(COMPANIES)} : finalité du traitement, base légale, destinataires et durée de conservation.`,
  () =>
    "Le responsable du traitement tient à jour la liste des sous-traitants et des transferts hors Union européenne.",
  // Education and leisure
  (pick) =>
    `Les élèves de ${pick(["seconde", "première", "terminale"])} de ${pick(TOWNS)} passeront l'examen blanc en ${pick(MONTHS)}.`,
  (pick) => `La bibliothèque de ${pick(TOWNS)} propose un atelier d'écriture et une exposition de photographies.`,
  (pick) =>
    `Le club de randonnée de ${pick(TOWNS)} organise une sortie au lac en ${pick(MONTHS)}, pique-nique tiré du sac.`,
  () => "Le lithium extrait de la mine alimente la production de batteries pour véhicules électriques.",
  () => "Réunion de chantier : la greffe des rosiers anciens du parc sera faite au printemps par les jardiniers.",
  () => "Horloge du serveur : Mon Jan 2 15:04:05 MST 2006, format de référence de la bibliothèque.",
];

/** `count` sentences from the templates, each template in turn, with random slots. */
export function frenchAdminSentences(count = 400, seed = 15): string[] {
  const rng = seededRandom(seed);
  const pick: Pick = (list) => list[Math.floor(rng() * list.length)] as (typeof list)[number];
  const n = (max: number) => Math.floor(rng() * max);
  return Array.from({ length: count }, (_, i) =>
    (TEMPLATES[i % TEMPLATES.length] as (typeof TEMPLATES)[number])(pick, n),
  );
}

/** The number of templates, for the test's coverage check. */
export const ADMIN_TEMPLATES = TEMPLATES.length;

/**
 * Documents built from the sentences: prose in paragraphs, and `;`-separated exports under
 * everyday headers (a product list, a property-diagnostics table, a processing register).
 */
export function frenchAdminDocuments(count = 400, seed = 15): { name: string; text: string }[] {
  const sentences = frenchAdminSentences(count, seed);
  const rng = seededRandom(seed + 1);
  const docs: { name: string; text: string }[] = [];
  for (let at = 0; at < sentences.length; at += 25) {
    const chunk = sentences.slice(at, at + 25);
    docs.push({ name: `courrier-${at}`, text: `${chunk.join(rng() < 0.5 ? "\n\n" : " ")}\n` });
    docs.push({
      name: `export-${at}`,
      text: `reference;libelle;montant\n${chunk.map((s, i) => `R${at + i};"${s.replace(/"/g, '""')}";${Math.floor(rng() * 1000)}`).join("\n")}\n`,
    });
  }
  docs.push({
    name: "diagnostics-immobiliers",
    text: `adresse;type_diagnostic;resultat\n${TOWNS.map((t, i) => `${i + 1} ${STREETS[i % STREETS.length]} ${t};${["DPE", "amiante", "plomb", "termites", "gaz"][i % 5]};${["classe C", "absence", "conforme", "néant", "anomalie mineure"][i % 5]}`).join("\n")}\n`,
  });
  docs.push({
    name: "registre-rgpd",
    text: "traitement;finalite;base_legale\nPaie;traitement de la paie des salariés;obligation légale\nRecrutement;examen des candidatures;mesures précontractuelles\nVidéoprotection;sécurité des locaux;intérêt légitime\n",
  });
  return docs;
}
