import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UnitStatus } from '@imb/contracts';
import type { Ownership, RegularizationStatus } from './unit-lifecycle';

/**
 * A health unit (CLUES) in a state's transfer inventory. `id` is stable: when the unit is
 * re-registered under a new key (SSA → IMB), `clues` takes the new key and `previousClues` keeps
 * the old one. Catalogue columns come from the CLUES catalogue; `rowHash` is the hash of those
 * columns as last imported, so re-importing an unchanged row changes nothing.
 */
@Entity({ name: 'unit' })
export class Unit {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) clues: string;
  @Column({ name: 'previous_clues', type: 'text', nullable: true }) previousClues: string | null;
  @Column({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  @Column({ type: 'text' }) name: string;
  /** Institution part of the current key: SSA, IMB, … */
  @Column({ type: 'text' }) institution: string;
  @Column({ name: 'establishment_type', type: 'text', nullable: true }) establishmentType: string | null;
  @Column({ type: 'text', nullable: true }) typology: string | null;
  @Column({ name: 'care_level', type: 'text', nullable: true }) careLevel: string | null;
  @Column({ type: 'text', nullable: true }) stratum: string | null;
  @Column({ name: 'municipality_code', type: 'char', length: 5, nullable: true }) municipalityCode: string | null;
  @Column({ name: 'locality_code', type: 'char', length: 9, nullable: true }) localityCode: string | null;
  @Column({ type: 'text', nullable: true }) locality: string | null;
  @Column({ type: 'double precision', nullable: true }) latitude: number | null;
  @Column({ type: 'double precision', nullable: true }) longitude: number | null;
  /** ESTATUS DE OPERACION as the catalogue says (EN OPERACION, FUERA DE OPERACION, …). */
  @Column({ name: 'operation_status', type: 'text', nullable: true }) operationStatus: string | null;
  @Column({ type: 'text', nullable: true }) ownership: Ownership | null;
  @Column({ name: 'regularization_status', type: 'text', nullable: true }) regularizationStatus: RegularizationStatus | null;
  @Column({ type: 'text' }) status: UnitStatus;
  /** Why the unit got its current status (exclusion, regularization), in the coordinator's words. */
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason: string | null;
  @Column({ name: 'acta_number', type: 'text', nullable: true }) actaNumber: string | null;
  @Column({ name: 'acta_date', type: 'date', nullable: true }) actaDate: string | null;
  @Column({ name: 'acta_document_sha256', type: 'char', length: 64, nullable: true }) actaDocumentSha256: string | null;
  @Column({ name: 'row_hash', type: 'text' }) rowHash: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
