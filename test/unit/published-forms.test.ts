/**
 * Forms the public French examples write (../shared/realworld, measured by `npm run
 * bench:realworld`), each rebuilt here by hand with made-up values: UBL and Factur-X (CII)
 * invoices, a SAMU-Hub contact, an HL7 v2 admission. Each passes through the real object
 * pipeline, extractor included.
 */
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { scanInMemory } from "../helpers/memory.js";

const rules = await loadRules();
const scan = async (text: string, key: string) => (await scanInMemory(Buffer.from(text), rules, { key })).report;
const countOf = (report: Awaited<ReturnType<typeof scan>>, id: string) =>
  report.findings.find((f) => f.ruleId === id)?.count ?? 0;

// Synthetic, with valid check digits (mod 97).
const IBAN = "FR8612345678900123456789A12";

describe("invoices: the IBAN where UBL and Factur-X write it", () => {
  it("UBL cac:PayerFinancialAccount/cbc:ID, namespace prefixes dropped from the path", async () => {
    const ubl = `<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:cac" xmlns:cbc="urn:cbc"><cac:PaymentMeans><cac:PayerFinancialAccount><cbc:ID>${IBAN}</cbc:ID></cac:PayerFinancialAccount></cac:PaymentMeans><cac:AccountingCustomerParty><cbc:ID>FR8612345678900123456789A12</cbc:ID></cac:AccountingCustomerParty></Invoice>`;
    const report = await scan(ubl, "facture.xml");
    // The account's ID, not the customer's ID holding the same characters.
    expect(countOf(report, "iban-column")).toBe(1);
    expect(report.findings.find((f) => f.ruleId === "iban-column")?.reasons).toContain("header 'financial_account_id'");
  });

  it("Factur-X ram:IBANID", async () => {
    const cii = `<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:rsm" xmlns:ram="urn:ram"><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>FR86 1234 5678 9001 2345 6789 A12</ram:IBANID></ram:PayeePartyCreditorFinancialAccount></rsm:CrossIndustryInvoice>`;
    expect(countOf(await scan(cii, "factur-x.xml"), "iban-column")).toBe(1);
  });
});

describe("SAMU-Hub contacts", () => {
  it("reads a phone in contact[].detail, and not an e-mail there", async () => {
    const doc = {
      generalPractitioner: {
        contact: [
          { type: "TEL", detail: "+33612345678" },
          { type: "EMAIL", detail: "dr.dupont@example.fr" },
        ],
      },
    };
    const report = await scan(JSON.stringify(doc), "rc-eda.json");
    expect(countOf(report, "fr-phone-column")).toBe(1);
  });
});

describe("HL7 v2 admissions: a stay is health data", () => {
  const adt = (patientClass: string) =>
    [
      "MSH|^~\\&|GAM|CHU-X|DPI|CHU-X|20240306111154||ADT^A01^ADT_A01|3975|D|2.5",
      "EVN||20240306111154",
      "PID|1||000003^^^CHU-X^PI||DUPRE^CAMILLE^^^^^L||19790328|F",
      `PV1|1|${patientClass}|^^^CHU-X^O^^|R`,
      "",
    ].join("\r");

  it("an inpatient, outpatient or emergency PV1 with a named patient makes a patient record", async () => {
    for (const patientClass of ["I", "O", "E"]) {
      const report = await scan(adt(patientClass), "adt.hl7");
      expect(countOf(report, "hl7-patient-visit"), patientClass).toBe(1);
      expect(report.patientRecords, patientClass).toBe(1);
    }
  });

  it("reads a phone in an XTN component (ROL-12, PID-13), and a PID-5 name as one name", async () => {
    const withPhones = adt("I")
      .replace("|F\r", "|F|||||^PRN^CP^^^^^^^^^0612345678\r")
      .concat("ROL||UC|ODRP|1^AGNES^Isabelle|||||||17000^FRA|^WPN^PH^^^^^^^^^0546442221\r");
    const report = await scan(withPhones, "adt.hl7");
    expect(countOf(report, "fr-phone-column")).toBe(2);
    expect(countOf(report, "fr-person-name")).toBe(1);
  });

  it("reads the patient's address in PID-11 (street^^city^^postcode), masked to its street type and département", async () => {
    const report = await scan(adt("I").replace("|F\r", "|F|||28 Av de Breteuil^^PARIS^^75007^FRA^H\r"), "adt.hl7");
    const address = report.findings.find((f) => f.ruleId === "fr-postal-address-column");
    expect(address?.count).toBe(1);
    expect(address?.samples[0]?.masked).toBe("•• av ••••, 75••• •••");
    expect(JSON.stringify(report)).not.toMatch(/Breteuil/);
  });

  it("a PV1 whose class says nothing (N, U) is no stay", async () => {
    for (const patientClass of ["N", "U"]) {
      const report = await scan(adt(patientClass), "adt.hl7");
      expect(countOf(report, "hl7-patient-visit"), patientClass).toBe(0);
      expect(report.patientRecords, patientClass).toBe(0);
    }
  });
});
