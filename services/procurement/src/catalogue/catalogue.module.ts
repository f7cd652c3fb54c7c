import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller';
import { CatalogueService } from './catalogue.service';

/** The catalogue of claves (medicines and supplies). */
@Module({ controllers: [CatalogueController], providers: [CatalogueService] })
export class CatalogueModule {}
