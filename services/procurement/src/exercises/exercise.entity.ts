import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExerciseStage } from './exercise-stages';

/** A consolidated-purchase exercise (e.g. 2027-2028) and the stage of its calendar it is in. */
@Entity({ name: 'exercise' })
export class Exercise {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) stage: ExerciseStage;
  @Column({ name: 'stage_since', type: 'timestamptz' }) stageSince: Date;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
}
