import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One institution's MIN/MAX demand of one clave in one exercise, as published in the annex. */
@Entity({ name: 'demand_line' })
export class DemandLine {
  @PrimaryColumn({ name: 'exercise_code', type: 'text' }) exerciseCode: string;
  @PrimaryColumn({ type: 'text' }) clave: string;
  /** Column title as published, e.g. 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO'. */
  @PrimaryColumn({ type: 'text' }) institution: string;
  /** INEGI code for the IMSS-BIENESTAR per-state columns; null for other institutions. */
  @Column({ name: 'state_code', type: 'char', length: 2, nullable: true }) stateCode: string | null;
  @Column({ type: 'bigint' }) min: string;
  @Column({ type: 'bigint' }) max: string;
}
