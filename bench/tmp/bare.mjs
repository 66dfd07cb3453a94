import { readFileSync } from "node:fs";
const buf = readFileSync("/tmp/speed/patients_export.csv");
const terms = ["diabète","asthme","grossesse","VIH","hépatite","cancer","insuline","chimiothérapie","dépression","schizophrénie","sérologie","HbA1c","TSH","NFS","méthadone","IVG","séropositivité","hypertension","épilepsie","alzheimer","parkinson","mucoviscidose","leucémie","lymphome","tuberculose","syphilis","chlamydia","gonorrhée","herpès","toxoplasmose","rubéole","anémie","thalassémie","drépanocytose","hémophilie","dialyse","greffe","transplantation","radiothérapie","antidépresseur","anxiolytique","neuroleptique","lithium","buprénorphine","subutex","cocaïne","héroïne","cannabis","alcoolisme","anorexie","boulimie","bipolaire","suicide","autisme","trisomie","handicap","sclérose","polyarthrite","lupus","crohn"];
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
const src = terms.map((t) => fold(t).replace(/e/g,"[eéèêë]").replace(/a/g,"[aàâ]").replace(/i/g,"[iîï]").replace(/o/g,"[oô]").replace(/u/g,"[uùû]"));
const termRe = new RegExp(`\\b(?:${src.join("|")})\\b`, "gi");
const nirRe = /(?<![0-9A-Za-z])[1-478][ .]?[0-9]{2}[ .]?[0-9]{2}[ .]?(?:[0-9]{2}|2[AB])[ .]?[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{2}(?![0-9A-Za-z])/g;
const t0 = process.cpuUsage(); const w0 = performance.now();
let nirs = 0, hits = 0;
const B = 256 * 1024;
for (let at = 0; at < buf.length; at += B) {
  const text = buf.latin1Slice(at, Math.min(buf.length, at + B));
  nirRe.lastIndex = 0;
  for (let m = nirRe.exec(text); m; m = nirRe.exec(text)) {
    const d = m[0].replace(/[ .]/g, "");
    const body = Number(d.slice(0, 13).replace("2A", "19").replace("2B", "18"));
    if (97 - (body % 97) === Number(d.slice(13))) nirs++;
  }
  termRe.lastIndex = 0;
  while (termRe.exec(text)) hits++;
}
const u = process.cpuUsage(t0);
console.log({ nirs, hits, cpuS: (u.user + u.system) / 1e6, wall: (performance.now() - w0) / 1000, mbPerCpuS: buf.length / 1048576 / ((u.user + u.system) / 1e6) });
