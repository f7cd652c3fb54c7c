import { Column, Entity, PrimaryColumn } from 'typeorm';
import { StageDefinitionBody } from './stage-definition';

/** One version of the stage definitions; rows are only ever added, never changed. */
@Entity({ name: 'stage_definition' })
export class StageDefinition {
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ type: 'jsonb' }) definition: StageDefinitionBody;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
