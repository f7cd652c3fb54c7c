import { bootstrapService } from '@imb/platform';
import { AppModule } from './app.module';

void bootstrapService({
  module: AppModule,
  openApi: { title: 'IMSS-BIENESTAR platform', description: 'The public API: one front door for every service' },
});
