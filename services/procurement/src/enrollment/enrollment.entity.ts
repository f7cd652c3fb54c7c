import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A state enrolled in the consolidated purchase: from then on IMSS-BIENESTAR buys for it. */
@Entity({ name: 'enrollment' })
export class Enrollment {
  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  /** The exercise open when the state was enrolled (null when none was). */
  @Column({ name: 'exercise_code', type: 'text', nullable: true }) exerciseCode: string | null;
  @Column({ name: 'enrolled_at', type: 'timestamptz' }) enrolledAt: Date;
}
