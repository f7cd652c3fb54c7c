import { contentDisposition } from './documents.controller';
import { cleanFileName } from './documents.service';

describe('download names', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Acta entrega-recepción "HG".pdf')).toBe(
      `attachment; filename="Acta entrega-recepci_n _HG_.pdf"; filename*=UTF-8''Acta%20entrega-recepci%C3%B3n%20%22HG%22.pdf`,
    );
  });

  it('keeps only the base name of what the client sent, without control characters', () => {
    expect(cleanFileName('C:\\Users\\ana\\convenio.pdf')).toBe('convenio.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('acta\r\n.pdf')).toBe('acta.pdf');
    expect(cleanFileName('')).toBe('document');
  });
});
