console.log('mine');
