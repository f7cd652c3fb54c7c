import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A clave of the national catalogue of medicines and supplies (GGG.GGG.EEEE.VV or GGG.GGG.EEEE). */
@Entity({ name: 'clave' })
export class Clave {
  @PrimaryColumn({ type: 'text' }) clave: string;
  /** Group: the first three digits (010 medicines, 030 …). */
  @Column({ name: 'grp', type: 'char', length: 3 }) group: string;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'text', nullable: true }) unit: string | null;
  @Column({ type: 'text', nullable: true }) cucop: string | null;
}
