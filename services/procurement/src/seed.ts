import * as ExcelJS from 'exceljs';
import { DevApiClient, seedProfile } from '@imb/auth';

/**
 * node dist/seed.js --profile=demo|reference — run by `npm run up` after the services are healthy.
 *
 * Procurement has no reference data of its own (claves come from the annexes). The demo profile
 * creates the 2027-2028 exercise, generates a demand annex in the published layout (institution
 * names in row 8, CLAVE/DESCRIPCIÓN/MIN/MAX in row 9, one pair per IMSS-BIENESTAR adhered state,
 * a TOTALES pair), imports it and consolidates it, all through the public API as a procurement
 * officer would. Idempotent and quick: the exercise is found again, and an exercise already
 * consolidated is left alone (an interrupted run re-imports the same annex, which changes nothing).
 */

const EXERCISE = { code: '2027-2028', name: 'Compra consolidada 2027-2028 (demo)' };
const CLAVES = 300;
const INSTITUTIONS = ['IMSS', 'ISSSTE', 'PEMEX', 'CCINSHAE INSTITUTO NACIONAL DE PEDIATRIA'];
const ADHERED = ['BAJA_CALIFORNIA', 'CAMPECHE', 'CHIAPAS', 'CIUDAD_DE_MEXICO', 'GUERRERO', 'HIDALGO', 'MEXICO', 'MICHOACAN', 'OAXACA', 'PUEBLA', 'VERACRUZ', 'ZACATECAS'];
const PRODUCTS = ['PARACETAMOL. TABLETA 500 mg. Envase con 10 tabletas.', 'METFORMINA. TABLETA 850 mg. Envase con 30 tabletas.', 'LOSARTÁN. COMPRIMIDO 50 mg. Envase con 30 comprimidos.', 'AMOXICILINA. CÁPSULA 500 mg. Envase con 12 cápsulas.', 'OMEPRAZOL. CÁPSULA 20 mg. Envase con 14 cápsulas.'];

const log = (message: string) => console.log(`procurement seed: ${message}`);

/** A deterministic annex: the same bytes of data on every run, so its re-import changes nothing. */
async function demoAnnex(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Demanda');
  sheet.getCell('A2').value = `DEMANDA ${EXERCISE.code} (DATOS GENERADOS PARA DEMOSTRACIÓN)`;
  const institutions = [...INSTITUTIONS, ...ADHERED.map((s) => `IMSS BIENESTAR EF_ADHERIDA_${s}`)];
  const names: (string | null)[] = [null, null];
  const header: string[] = ['CLAVE', 'DESCRIPCIÓN'];
  for (const name of [...institutions, 'TOTALES']) {
    names.push(name, null);
    header.push('MIN', 'MAX');
  }
  sheet.getRow(8).values = names;
  sheet.getRow(9).values = header;
  for (let i = 0; i < CLAVES; i++) {
    const clave = `010.000.${String(9000 + i).padStart(4, '0')}.00`;
    const row: (string | number)[] = [clave, `${PRODUCTS[i % PRODUCTS.length]} (DEMO ${i + 1})`];
    let totalMin = 0;
    let totalMax = 0;
    institutions.forEach((_, j) => {
      const max = ((i * 37 + j * 101) % 50) * 100 + (j < INSTITUTIONS.length ? 5000 : 200);
      const min = Math.round(max * 0.4);
      row.push(min, max);
      totalMin += min;
      totalMax += max;
    });
    row.push(totalMin, totalMax);
    sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  if (seedProfile() === 'reference') return log('no reference data of its own (claves come from the demand annexes)');
  const api = await DevApiClient.create('system:seed', ['procurement-officer']);

  const created = await api.call('POST', '/procurement/exercises', EXERCISE, [409]);
  if (created.status === 201) log(`exercise ${EXERCISE.code} created`);
  if ((await api.call('GET', `/procurement/exercises/${EXERCISE.code}/consolidation?pageSize=1`, undefined, [409])).status !== 409) {
    return log(`exercise ${EXERCISE.code} already imported and consolidated; left alone`);
  }
  const form = new FormData();
  form.set('file', new Blob([await demoAnnex()]), `demanda-demo-${EXERCISE.code}.xlsx`);
  const { body } = await api.call<{ jobId: string }>('POST', `/procurement/exercises/${EXERCISE.code}/demand/imports?dryRun=false`, form);
  const imported = await api.waitForJob<Record<string, unknown>>(body.jobId);
  log(`demo demand: ${String(imported.result.lines)} lines, ${String(imported.result.inserted)} new, ${String(imported.result.updated)} changed`);
  const job = await api.call<{ jobId: string }>('POST', `/procurement/exercises/${EXERCISE.code}/consolidate`);
  const done = await api.waitForJob<Record<string, unknown>>(job.body.jobId);
  log(`consolidated: ${String(done.result.claves)} claves, MAX ${String(done.result.totalMax)} pieces`);
}

main().catch((error: unknown) => {
  console.error(`procurement seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
