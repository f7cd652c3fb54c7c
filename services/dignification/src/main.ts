import { bootstrapService } from '@imb/platform';
import { AppModule } from './app.module';

void bootstrapService({
  module: AppModule,
  openApi: { title: 'Dignification', description: 'Funding and verifying the repair of health centres (La Clínica es Nuestra)' },
});
