import { createRoot } from 'react-dom/client';
import { App } from './App';
import { stationApi } from './api';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App api={stationApi()} />);
