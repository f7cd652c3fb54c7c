import type { UnitInventoriedV1 } from '@imb/contracts';
import type { CatalogueUnit } from './clues-catalogue';

/** The unit-inventoried payload of a unit with its catalogue data (null columns left out). */
export function inventoriedPayload(unitId: string, u: CatalogueUnit, at: string): UnitInventoriedV1 {
  return {
    unitId,
    clues: u.clues,
    stateCode: u.stateCode,
    name: u.name,
    institution: u.institution,
    establishmentType: u.establishmentType ?? undefined,
    typology: u.typology ?? undefined,
    careLevel: u.careLevel ?? undefined,
    stratum: u.stratum ?? undefined,
    municipalityCode: u.municipalityCode ?? undefined,
    localityCode: u.localityCode ?? undefined,
    locality: u.locality ?? undefined,
    latitude: u.latitude ?? undefined,
    longitude: u.longitude ?? undefined,
    ownership: u.ownership ?? undefined,
    inventoriedAt: at,
  };
}
