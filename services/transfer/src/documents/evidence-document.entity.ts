import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';

// bigint arrives from pg as a string; document sizes stay far below 2^53.
const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * An uploaded evidence file (signed agreement, DOF publication, handover acta…) of one state: its
 * metadata here, its bytes in the document store under their SHA-256. Several documents may share
 * one stored content — the same bytes uploaded for two states are two documents, one per state,
 * so there is deliberately no unique key on the hash.
 */
@Entity({ name: 'document' })
export class EvidenceDocument {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  /** Evidence cites documents by hash; the few rows of one hash are then told apart by state. */
  @Index('document_by_sha256')
  @Column({ type: 'char', length: 64 })
  sha256: string;
  /**
   * INEGI code of the state the document is evidence of: who may read it and which state's
   * checklist items and actas may cite it. Null only for documents uploaded before documents
   * belonged to a state and that no single state's evidence cites; national roles alone read those.
   */
  @Column({ name: 'state_code', type: 'char', length: 2, nullable: true }) stateCode: string | null;
  @Column({ type: 'text' }) title: string;
  /** Number or reference of the document (agreement number, DOF reference, acta number). */
  @Column({ type: 'text' }) reference: string;
  /** Date of the document itself (YYYY-MM-DD), not of the upload. */
  @Column({ name: 'document_date', type: 'date' }) documentDate: string;
  /** Media type recognised from the content. */
  @Column({ name: 'media_type', type: 'text' }) mediaType: string;
  @Column({ type: 'bigint', transformer: bigintAsNumber }) size: number;
  @Column({ name: 'original_name', type: 'text' }) originalName: string;
  @Column({ name: 'uploaded_by', type: 'text' }) uploadedBy: string;
  @Column({ name: 'uploaded_at', type: 'timestamptz' }) uploadedAt: Date;
}
