import { bootstrapService } from '@imb/platform';
import { AppModule } from './app.module';

void bootstrapService({
  module: AppModule,
  openApi: { title: 'Procurement', description: 'The national consolidated purchase of medicines and supplies' },
});
