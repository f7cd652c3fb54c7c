import { bootstrapService } from '@imb/platform';
import { AppModule } from './app.module';

void bootstrapService({
  module: AppModule,
  openApi: { title: 'Transfer', description: "Each state's transfer of its health services to IMSS-BIENESTAR" },
});
